import numpy as np
import pytest
import torch
from scipy.spatial.distance import jensenshannon
from scipy.special import rel_entr
from scipy.stats import entropy as scipy_entropy

import entropy as E


def _dists(n, k, seed=0, sparse=False):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(k) * 0.5, size=n)
    if sparse:
        p[:, 0] = 0.0
        p /= p.sum(1, keepdims=True)
    return p


def test_entropy_and_kl_match_scipy():
    P, Q = _dists(200, 6, 1, sparse=True), _dists(200, 6, 2)
    for p, q in zip(P, Q, strict=True):
        assert E.entropy(p) == pytest.approx(scipy_entropy(p))
        assert E.kl(p, q) == pytest.approx(rel_entr(p, q).sum())
        assert E.kl(p, q) == pytest.approx(scipy_entropy(p, q))


def test_gibbs_inequality_and_decomposition():
    P, Q = _dists(1000, 5, 3), _dists(1000, 5, 4)
    for p, q in zip(P, Q, strict=True):
        assert E.kl(p, q) >= 0
        assert E.cross_entropy(p, q) == pytest.approx(E.entropy(p) + E.kl(p, q))
        assert E.kl(p, p) == pytest.approx(0.0, abs=1e-12)


def test_kl_asymmetric_and_infinite_on_support_mismatch():
    p, q = np.array([0.5, 0.5, 0.0]), np.array([0.4, 0.3, 0.3])
    assert E.kl(p, q) < np.inf and E.kl(q, p) == np.inf
    a, b = np.array([0.9, 0.1]), np.array([0.5, 0.5])
    assert abs(E.kl(a, b) - E.kl(b, a)) > 0.05


def test_js_matches_scipy_and_is_bounded():
    P, Q = _dists(100, 4, 5), _dists(100, 4, 6)
    for p, q in zip(P, Q, strict=True):
        assert E.js(p, q) == pytest.approx(jensenshannon(p, q) ** 2)
        assert E.js(p, q) == pytest.approx(E.js(q, p))
        assert E.js(p, q) <= np.log(2) + 1e-12
    assert E.js([1, 0], [0, 1]) == pytest.approx(np.log(2))


def test_softmax_ce_value_and_grad_match_torch():
    rng = np.random.default_rng(0)
    for _ in range(20):
        z = rng.normal(size=7) * 3
        y = rng.dirichlet(np.ones(7))
        zt = torch.tensor(z, requires_grad=True)
        loss = torch.nn.functional.cross_entropy(zt[None], torch.tensor(y)[None])
        loss.backward()
        assert E.softmax_cross_entropy(z, y) == pytest.approx(loss.item())
        np.testing.assert_allclose(E.softmax_cross_entropy_grad(z, y), zt.grad.numpy(), atol=1e-10)


def test_log_softmax_no_overflow():
    z = np.array([1000.0, 0.0, -1000.0])
    assert np.isfinite(E.log_softmax(z)).all()


def test_forward_kl_covers_reverse_kl_seeks_mode():
    x = np.linspace(-10, 10, 2001)
    p = 0.5 * E.gaussian_pdf(x, -3, 1) + 0.5 * E.gaussian_pdf(x, 3, 1)
    mus, sigmas = np.linspace(-4, 4, 81), np.linspace(0.5, 4, 36)
    _, mu_f, s_f = E.fit_gaussian_by_kl(p, x, mus, sigmas, "forward")
    _, mu_r, s_r = E.fit_gaussian_by_kl(p, x, mus, sigmas, "reverse")
    # forward KL = moment matching: mean 0, variance 1 + 9 = 10
    assert abs(mu_f) < 0.11 and abs(s_f - np.sqrt(10)) < 0.1
    assert abs(abs(mu_r) - 3) < 0.11 and abs(s_r - 1) < 0.11
