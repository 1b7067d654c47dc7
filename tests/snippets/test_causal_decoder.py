import torch

from causal_decoder import TinyDecoder, generate_greedy, shift_right


def _model():
    torch.manual_seed(0)
    return TinyDecoder().eval()


def test_prefix_outputs_do_not_depend_on_future_tokens():
    m = _model()
    x = torch.randint(0, 50, (2, 10))
    y = x.clone()
    y[:, 6:] = torch.randint(0, 50, (2, 4))
    with torch.no_grad():
        lx, _ = m(x)
        ly, _ = m(y)
    torch.testing.assert_close(lx[:, :6], ly[:, :6])
    assert not torch.allclose(lx[:, 6:], ly[:, 6:])


def test_kv_cache_equals_full_recompute():
    m = _model()
    prompt = torch.randint(0, 50, (3, 4))
    a, la = generate_greedy(m, prompt, 10, use_cache=True)
    b, lb = generate_greedy(m, prompt, 10, use_cache=False)
    assert torch.equal(a, b)
    torch.testing.assert_close(la, lb, atol=1e-5, rtol=1e-5)


def test_cache_grows_by_one_per_step():
    m = _model()
    with torch.no_grad():
        _, caches = m(torch.randint(0, 50, (1, 4)))
        _, caches = m(torch.randint(0, 50, (1, 1)), caches)
    assert caches[0][0].shape[2] == 5


def test_tied_weights():
    m = _model()
    assert m.lm_head.weight.data_ptr() == m.tok.weight.data_ptr()


def test_shift_right():
    t = torch.tensor([[5, 6, 7, 2]])
    assert shift_right(t, 1).tolist() == [[1, 5, 6, 7]]
