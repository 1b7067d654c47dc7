import numpy as np
import pytest
import torch
from sklearn.ensemble import AdaBoostClassifier, GradientBoostingClassifier, GradientBoostingRegressor
from sklearn.tree import DecisionTreeClassifier

import boosting_scratch as B


def _toy(seed=0, n=300):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    y01 = (X[:, 0] + X[:, 1] ** 2 + 0.5 * rng.normal(size=n) > 1).astype(float)
    return X, y01, rng


def test_adaboost_invariants():
    X, y01, _ = _toy()
    y = np.where(y01 > 0, 1, -1)
    out = B.adaboost(X, y, 25)
    alphas, errors, zs, F = out["alpha"], out["error"], out["Z"], out["F"]
    assert np.all(errors < 0.5)
    np.testing.assert_allclose(alphas, 0.5 * np.log((1 - errors) / errors))
    np.testing.assert_allclose(zs, 2 * np.sqrt(errors * (1 - errors)))
    train_err = np.mean(np.sign(F) != y)
    exp_loss = np.mean(np.exp(-y * F))
    assert train_err <= exp_loss + 1e-12
    assert exp_loss == pytest.approx(np.prod(zs))  # Freund & Schapire: training error <= prod Z_t
    assert np.prod(zs) <= np.exp(-2 * np.sum((0.5 - errors) ** 2))
    assert np.all(out["train_error"] <= np.cumprod(zs) + 1e-12)
    # after the update, the stump just used is exactly a coin flip under the new weights
    for t in range(24):
        h = B.stump_predict(X, *out["stumps"][t])
        assert out["weights"][t + 1][h != y].sum() == pytest.approx(0.5)


def test_fit_stump_is_optimal_against_brute_force():
    X, y01, rng = _toy(1, n=60)
    y = np.where(y01 > 0, 1, -1)
    w = rng.dirichlet(np.ones(60))
    e, j, t, pol = B.fit_stump(X, y, w)
    assert w[B.stump_predict(X, j, t, pol) != y].sum() == pytest.approx(e)
    best = min(
        w[s * np.where(X[:, jj] >= X[i, jj], 1, -1) != y].sum()
        for jj in range(X.shape[1])
        for i in range(60)
        for s in (1, -1)
    )
    assert e <= best + 1e-12


def test_adaboost_weights_match_sklearn_samme():
    """Replay sklearn's own stumps through the F&S weight update: same errors, alpha_sklearn = 2 alpha."""
    X, y01, _ = _toy(2)
    y = np.where(y01 > 0, 1, -1)
    sk = AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=10, random_state=0).fit(X, y)
    w = np.full(len(y), 1 / len(y))
    for est, err_sk, a_sk in zip(sk.estimators_, sk.estimator_errors_, sk.estimator_weights_, strict=True):
        h = est.predict(X)
        e = w[h != y].sum()
        alpha = 0.5 * np.log((1 - e) / e)
        assert e == pytest.approx(err_sk)
        assert 2 * alpha == pytest.approx(a_sk)
        w = w * np.exp(-alpha * y * h)
        w /= w.sum()


def test_pseudo_residuals_are_negative_gradients():
    rng = np.random.default_rng(0)
    F = torch.tensor(rng.normal(size=50), requires_grad=True)
    y_reg = torch.tensor(rng.normal(size=50))
    (0.5 * (y_reg - F) ** 2).sum().backward()
    np.testing.assert_allclose(B.negative_gradient("squared", y_reg.numpy(), F.detach().numpy()), -F.grad.numpy())
    F.grad = None
    y01 = torch.tensor((rng.random(50) < 0.4).astype(float))
    torch.nn.functional.binary_cross_entropy_with_logits(F, y01, reduction="sum").backward()
    np.testing.assert_allclose(
        B.negative_gradient("logloss", y01.numpy(), F.detach().numpy()), -F.grad.numpy(), atol=1e-12
    )


def test_gradient_boosting_matches_sklearn():
    X, y01, rng = _toy(3)
    y = X[:, 0] ** 2 + X[:, 1] + 0.3 * rng.normal(size=len(y01))
    F, _ = B.gradient_boosting(X, y, "squared", 30, 0.1, 3)
    sk = GradientBoostingRegressor(n_estimators=30, learning_rate=0.1, max_depth=3, random_state=0).fit(X, y)
    np.testing.assert_allclose(F, sk.predict(X), atol=1e-10)
    # (on some seeds a near-tie between two splits is broken differently after ~20 trees; seed 0 has none)
    X, y01, _ = _toy(0)
    F, _ = B.gradient_boosting(X, y01, "logloss", 30, 0.1, 3)
    sk = GradientBoostingClassifier(n_estimators=30, learning_rate=0.1, max_depth=3, random_state=0).fit(X, y01)
    np.testing.assert_allclose(F, sk.decision_function(X), atol=1e-10)


def test_xgb_leaf_weight_and_gain_by_brute_force():
    rng = np.random.default_rng(4)
    g, h = rng.normal(size=40), rng.uniform(0.1, 1, size=40)
    lam, gamma = 1.3, 0.2
    ws = np.linspace(-5, 5, 200001)
    obj = g.sum() * ws + 0.5 * (h.sum() + lam) * ws**2
    assert ws[obj.argmin()] == pytest.approx(B.leaf_weight(g.sum(), h.sum(), lam), abs=1e-4)
    assert obj.min() == pytest.approx(B.leaf_score(g.sum(), h.sum(), lam), abs=1e-8)
    left = rng.random(40) < 0.5
    before = B.leaf_score(g.sum(), h.sum(), lam) + gamma * 1
    after = (
        B.leaf_score(g[left].sum(), h[left].sum(), lam) + B.leaf_score(g[~left].sum(), h[~left].sum(), lam) + gamma * 2
    )
    assert B.split_gain(g, h, left, lam, gamma) == pytest.approx(before - after)


def test_goss_weighted_sum_is_unbiased():
    rng = np.random.default_rng(5)
    grad = rng.standard_t(3, size=2000)
    est = []
    for _ in range(400):
        idx, wt = B.goss_sample(grad, 0.2, 0.1, rng)
        assert len(idx) == 600 and len(set(idx)) == 600
        est.append(np.sum(wt * grad[idx]))
    se = np.std(est) / np.sqrt(len(est))
    assert abs(np.mean(est) - grad.sum()) < 4 * se


def test_greedy_ts_leaks_ordered_ts_does_not():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(6)
    n = 2000
    cat = rng.integers(0, 1000, n)  # high-cardinality category, independent of the label
    y = (rng.random(n) < 0.3).astype(float)
    prior = y.mean()
    greedy = B.greedy_target_stat(cat, y, prior)
    ordered = B.ordered_target_stat(cat, y, prior, rng=rng)
    assert roc_auc_score(y, greedy) > 0.8
    assert abs(roc_auc_score(y, ordered) - 0.5) < 0.05
