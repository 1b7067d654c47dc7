"""L1/L2 helpers checked against scikit-learn and closed forms."""

import numpy as np
from sklearn.linear_model import Lasso, Ridge

from sparse_reg import lasso_ista, make_regression, ridge_closed_form, soft_threshold


def test_soft_threshold():
    z = np.array([-3.0, -0.5, 0.0, 0.2, 2.0])
    np.testing.assert_array_equal(soft_threshold(z, 1.0), [-2.0, 0.0, 0.0, 0.0, 1.0])


def test_ista_matches_sklearn_lasso():
    X, y, _ = make_regression(n=80, p=30, k=4, seed=3)
    for alpha in (0.05, 0.2):
        ref = Lasso(alpha=alpha, fit_intercept=False, tol=1e-10, max_iter=100_000).fit(X, y).coef_
        w = lasso_ista(X, y, alpha, n_iter=20_000)
        np.testing.assert_allclose(w, ref, atol=1e-4)
        assert np.array_equal(w == 0, ref == 0)


def test_orthonormal_design_closed_forms():
    # with X^T X = n I, Lasso = soft-thresholded OLS and Ridge = OLS / (1 + alpha / n)
    rng = np.random.default_rng(0)
    n, p = 64, 8
    Q, _ = np.linalg.qr(rng.normal(size=(n, p)))
    X = Q * np.sqrt(n)
    y = X @ rng.normal(size=p) + rng.normal(size=n)
    ols = X.T @ y / n
    np.testing.assert_allclose(lasso_ista(X, y, 0.3, n_iter=200), soft_threshold(ols, 0.3), atol=1e-10)
    np.testing.assert_allclose(ridge_closed_form(X, y, 4.0), ols / (1 + 4.0 / n), atol=1e-10)
    np.testing.assert_allclose(
        ridge_closed_form(X, y, 4.0), Ridge(alpha=4.0, fit_intercept=False).fit(X, y).coef_, atol=1e-10
    )


def test_lasso_sparse_ridge_dense():
    X, y, w_true = make_regression()
    w = lasso_ista(X, y, 0.2)
    assert set(np.flatnonzero(w)) == set(np.flatnonzero(w_true))
    assert np.all(ridge_closed_form(X, y, 1.0) != 0)
