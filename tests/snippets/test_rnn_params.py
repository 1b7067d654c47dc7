import pytest
import torch

from rnn_params import (
    GATES,
    grad_norms_cell_path,
    grad_norms_vanilla,
    gru_cell,
    lstm_cell,
    recurrent_params,
    torch_params,
)


@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM"])
@pytest.mark.parametrize("d,h", [(1, 1), (10, 20), (300, 128)])
def test_formula_matches_torch(kind, d, h):
    assert recurrent_params(d, h, GATES[kind]) == torch_params(kind, d, h)
    assert recurrent_params(d, h, GATES[kind], biases=0) == torch_params(kind, d, h, bias=False)


def test_single_bias_formula_is_smaller_by_one_bias_per_gate():
    d, h = 100, 200
    assert recurrent_params(d, h, 4, biases=2) - recurrent_params(d, h, 4, biases=1) == 4 * h


def test_lstm_cell_matches_torch():
    torch.manual_seed(0)
    cell = torch.nn.LSTMCell(7, 5)
    x, h, c = torch.randn(3, 7), torch.randn(3, 5), torch.randn(3, 5)
    h_ref, c_ref = cell(x, (h, c))
    h_my, c_my = lstm_cell(x, h, c, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    torch.testing.assert_close(h_my, h_ref)
    torch.testing.assert_close(c_my, c_ref)


def test_gru_cell_matches_torch_only_with_reset_after():
    torch.manual_seed(0)
    cell = torch.nn.GRUCell(7, 5)
    x, h = torch.randn(3, 7), torch.randn(3, 5)
    args = (x, h, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    torch.testing.assert_close(gru_cell(*args, reset_after=True), cell(x, h))
    assert not torch.allclose(gru_cell(*args, reset_after=False), cell(x, h), atol=1e-4)


def test_vanishing_gradient_bound():
    # singular values of W_hh are all 0.5 and |tanh'| <= 1, so ||J_t||_F <= sqrt(h) * 0.5**t
    h = 32
    norms = grad_norms_vanilla(12, h_size=h, scale=0.5)
    for t, n in enumerate(norms, start=1):
        assert n <= h**0.5 * 0.5**t + 1e-6


def test_linear_rnn_explodes():
    norms = grad_norms_vanilla(10, scale=1.2, act=lambda a: a)
    # orthogonal * 1.2 -> Frobenius norm exactly sqrt(h) * 1.2**t
    for t, n in enumerate(norms, start=1):
        assert n == pytest.approx(32**0.5 * 1.2**t, rel=1e-4)


def test_cell_path():
    assert grad_norms_cell_path(3, forget=0.9) == pytest.approx([0.9, 0.81, 0.729], rel=1e-5)
