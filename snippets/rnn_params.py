"""RNN / LSTM / GRU: parameter counts, hand-written cells and gradient flow.

Used by docs/nlp/rnn.md; tested by tests/snippets/test_rnn_params.py.
"""

import torch


# --8<-- [start:param_formula]
def recurrent_params(d, h, gates, biases=2):
    """Parameters of one single-direction recurrent layer.

    d: input size, h: hidden size,
    gates: number of weight blocks (vanilla RNN 1, GRU 3, LSTM 4),
    biases: bias vectors per block (PyTorch: b_ih and b_hh -> 2; textbook: 1).
    """
    return gates * (h * (d + h) + biases * h)


GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}
# --8<-- [end:param_formula]


# --8<-- [start:torch_count]
import torch


def torch_params(kind, d, h, bias=True):
    """Count parameters of torch.nn.RNN / GRU / LSTM directly."""
    layer = getattr(torch.nn, kind)(input_size=d, hidden_size=h, bias=bias)
    return sum(p.numel() for p in layer.parameters())


# --8<-- [end:torch_count]


# --8<-- [start:lstm_cell]
import torch


def lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh):
    """One LSTM step written gate by gate.

    PyTorch stores the four blocks stacked in the order (i, f, g, o):
    W_ih has shape (4h, d), W_hh has shape (4h, h).
    """
    pre = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh
    a_i, a_f, a_g, a_o = pre.chunk(4, dim=-1)
    i = torch.sigmoid(a_i)  # input gate
    f = torch.sigmoid(a_f)  # forget gate
    g = torch.tanh(a_g)  # candidate cell  (c tilde)
    o = torch.sigmoid(a_o)  # output gate: depends on x_t and h_{t-1} only
    c_new = f * c + i * g  # additive cell update
    h_new = o * torch.tanh(c_new)
    return h_new, c_new


# --8<-- [end:lstm_cell]


# --8<-- [start:gru_cell]
import torch


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh, reset_after=True):
    """One GRU step. Blocks are stacked in the order (r, z, n).

    reset_after=True  : PyTorch / cuDNN form, r * (W_hn h + b_hn)
    reset_after=False : Cho et al. (2014, arXiv v3) form, W_hn (r * h)
    """
    W_ir, W_iz, W_in = W_ih.chunk(3, dim=0)
    W_hr, W_hz, W_hn = W_hh.chunk(3, dim=0)
    b_ir, b_iz, b_in = b_ih.chunk(3)
    b_hr, b_hz, b_hn = b_hh.chunk(3)
    r = torch.sigmoid(x @ W_ir.T + b_ir + h @ W_hr.T + b_hr)  # reset gate
    z = torch.sigmoid(x @ W_iz.T + b_iz + h @ W_hz.T + b_hz)  # update gate
    if reset_after:
        n = torch.tanh(x @ W_in.T + b_in + r * (h @ W_hn.T + b_hn))
    else:
        n = torch.tanh(x @ W_in.T + b_in + (r * h) @ W_hn.T + b_hn)
    return (1 - z) * n + z * h  # z close to 1 keeps the old state


# --8<-- [end:gru_cell]


# --8<-- [start:grad_flow]
import torch


def grad_norms_vanilla(T, h_size=32, scale=0.5, act=torch.tanh, seed=0):
    """||d h_T / d h_0|| (Frobenius) of a tanh RNN for T = 1..T.

    W_hh = scale * Q with Q orthogonal, so every singular value of W_hh equals
    `scale`: the Jacobian product shrinks at least like scale**t when scale < 1.
    With a linear activation (act=lambda a: a) and scale > 1 it grows like scale**t.
    """
    g = torch.Generator().manual_seed(seed)
    dt = torch.float64  # float32 would underflow for long T
    Q, _ = torch.linalg.qr(torch.randn(h_size, h_size, generator=g, dtype=dt))
    W = scale * Q
    xs = torch.randn(T, h_size, generator=g, dtype=dt)
    norms = []
    for t in range(1, T + 1):
        h0 = torch.zeros(h_size, dtype=dt)

        def unroll(h0, t=t):
            h = h0
            for s in range(t):
                h = act(h @ W.T + xs[s])
            return h

        J = torch.autograd.functional.jacobian(unroll, h0)
        norms.append(J.norm().item())
    return norms


def grad_norms_cell_path(T, forget=0.95, h_size=32):
    """||d c_T / d c_0|| along the LSTM cell path when f_t is held fixed.

    With c_t = f_t * c_{t-1} + i_t * g_t, the direct path gives a diagonal
    Jacobian diag(f_t): no weight matrix, no tanh derivative.
    """
    f = torch.full((h_size,), forget)
    return [(f**t).norm().item() / (h_size**0.5) for t in range(1, T + 1)]


# --8<-- [end:grad_flow]
