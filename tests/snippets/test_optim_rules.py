import numpy as np
import torch

import optim_rules as R


def _compare(torch_opt_fn, ours, steps=25, **kw):
    rng = np.random.default_rng(0)
    A = rng.normal(size=(6, 6))
    A = A @ A.T + np.eye(6)
    b = rng.normal(size=6)
    p0 = rng.normal(size=6)
    tp = torch.tensor(p0, requires_grad=True)
    opt = torch_opt_fn([tp])
    p, state = p0.copy(), {}
    for _ in range(steps):
        # quadratic loss 0.5 p^T A p - b^T p, gradient A p - b
        opt.zero_grad()
        loss = 0.5 * tp @ torch.from_numpy(A) @ tp - torch.from_numpy(b) @ tp
        loss.backward()
        opt.step()
        p = ours(p, A @ p - b, state, **kw)
    np.testing.assert_allclose(p, tp.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_sgd_momentum_and_nesterov():
    _compare(lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9), R.sgd_momentum, lr=0.01)
    _compare(
        lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9, nesterov=True), R.sgd_momentum, lr=0.01, nesterov=True
    )


def test_adagrad_rmsprop():
    _compare(lambda ps: torch.optim.Adagrad(ps, lr=0.1), R.adagrad, lr=0.1)
    _compare(lambda ps: torch.optim.RMSprop(ps, lr=0.01), R.rmsprop, lr=0.01)


def test_adam_adamw():
    _compare(lambda ps: torch.optim.Adam(ps, lr=0.01), R.adam, lr=0.01)
    _compare(lambda ps: torch.optim.Adam(ps, lr=0.01, weight_decay=0.1), R.adam, lr=0.01, weight_decay=0.1)
    _compare(
        lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.1), R.adam, lr=0.01, weight_decay=0.1, decoupled=True
    )


def test_adam_without_bias_correction_first_step():
    p = R.adam(np.array([0.0]), np.array([2.0]), {}, lr=1.0, bias_correction=False)
    assert abs(-p[0] - 0.1 / np.sqrt(0.001)) < 1e-6
    p = R.adam(np.array([0.0]), np.array([2.0]), {}, lr=1.0)
    assert abs(-p[0] - 1.0) < 1e-6
