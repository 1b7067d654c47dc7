"""Polynomial regression: train/test error versus model degree (over- and under-fitting)."""

# --8<-- [start:data]
import numpy as np


def true_fn(x: np.ndarray) -> np.ndarray:
    return np.sin(2 * np.pi * x)


def make_data(n: int, noise: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, n)
    return x, true_fn(x) + rng.normal(0, noise, n)


# --8<-- [end:data]


# --8<-- [start:fit]
def fit_poly(x: np.ndarray, y: np.ndarray, degree: int) -> np.polynomial.Polynomial:
    """Least-squares polynomial fit (Polynomial.fit rescales x for numerical stability)."""
    return np.polynomial.Polynomial.fit(x, y, degree)


def mse(model, x: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((model(x) - y) ** 2))


def degree_sweep(degrees, n_train: int = 15, n_test: int = 1000, noise: float = 0.3):
    x_tr, y_tr = make_data(n_train, noise, seed=0)
    x_te, y_te = make_data(n_test, noise, seed=1)
    rows = []
    for d in degrees:
        model = fit_poly(x_tr, y_tr, d)
        rows.append((d, mse(model, x_tr, y_tr), mse(model, x_te, y_te)))
    return rows


# --8<-- [end:fit]
