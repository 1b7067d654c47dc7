import torch

from transformer_masks import causal_mask, masked_attention, padding_mask


def test_padding_mask_values():
    m = padding_mask([3, 1], 4)
    assert m.tolist() == [[False, False, False, True], [False, True, True, True]]


def test_causal_mask_is_strict_upper_triangle():
    m = causal_mask(4)
    for i in range(4):
        for j in range(4):
            assert bool(m[i, j]) == (j > i)


def test_masked_positions_get_zero_weight_and_rows_sum_to_one():
    torch.manual_seed(0)
    B, T, d = 2, 5, 8
    q, k, v = torch.randn(3, B, T, d)
    mask = causal_mask(T)[None] | padding_mask([5, 3], T)[:, None, :]
    _, w = masked_attention(q, k, v, mask)
    assert torch.all(w[mask] == 0)
    torch.testing.assert_close(w.sum(-1), torch.ones(B, T))


def test_matches_torch_multihead_attention_mask_convention():
    torch.manual_seed(0)
    T, d = 4, 8
    mha = torch.nn.MultiheadAttention(d, 1, batch_first=True, bias=False)
    with torch.no_grad():
        mha.in_proj_weight.copy_(torch.cat([torch.eye(d)] * 3))
        mha.out_proj.weight.copy_(torch.eye(d))
    x = torch.randn(1, T, d)
    out_ref, w_ref = mha(x, x, x, attn_mask=causal_mask(T))
    out, w = masked_attention(x, x, x, causal_mask(T))
    torch.testing.assert_close(w, w_ref)
    torch.testing.assert_close(out, out_ref)
