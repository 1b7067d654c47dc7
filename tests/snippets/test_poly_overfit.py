"""Polynomial over-fitting demo, checked against an independent least-squares fit."""

import numpy as np

from poly_overfit import degree_sweep, fit_poly, make_data, mse


def test_fit_matches_vandermonde_lstsq():
    x, y = make_data(15, seed=0)
    for d in (1, 3, 5):
        coef, *_ = np.linalg.lstsq(np.vander(x, d + 1), y, rcond=None)
        np.testing.assert_allclose(fit_poly(x, y, d)(x), np.vander(x, d + 1) @ coef, atol=1e-8)


def test_train_error_decreases_and_gap_opens():
    rows = degree_sweep(range(15), n_train=15)
    train = [r[1] for r in rows]
    test = [r[2] for r in rows]
    assert all(a >= b - 1e-9 for a, b in zip(train, train[1:], strict=False))
    assert train[-1] < 1e-8  # interpolation
    assert test[-1] > 100 * min(test)  # catastrophic over-fitting
    assert 2 <= int(np.argmin(test)) <= 7  # sweet spot at moderate capacity
    assert min(test) > 0.09 * 0.8  # cannot beat the noise variance (sigma=0.3)


def test_mse_definition():
    x = np.array([0.0, 1.0])
    model = np.polynomial.Polynomial([1.0])  # constant 1
    assert mse(model, x, np.array([1.0, 3.0])) == 2.0
