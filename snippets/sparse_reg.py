"""L1 versus L2 regularisation: sparsity, soft-thresholding and proximal gradient (ISTA)."""

# --8<-- [start:data]
import numpy as np


def make_regression(n: int = 100, p: int = 50, k: int = 5, noise: float = 0.5, seed: int = 0):
    """y = X w* + noise, where only the first k of the p true weights are non-zero."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    w_true = np.zeros(p)
    w_true[:k] = rng.choice([-1.0, 1.0], k) * rng.uniform(1.0, 3.0, k)
    y = X @ w_true + noise * rng.normal(size=n)
    return X, y, w_true


# --8<-- [end:data]


# --8<-- [start:ista]
def soft_threshold(z: np.ndarray, t: float) -> np.ndarray:
    """Proximal operator of t*||w||_1: shrink by the constant t, and clip to exactly 0."""
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def lasso_ista(X: np.ndarray, y: np.ndarray, alpha: float, n_iter: int = 5000) -> np.ndarray:
    """Minimise 1/(2n) ||y - Xw||^2 + alpha ||w||_1 (scikit-learn's Lasso objective)."""
    n, p = X.shape
    step = n / np.linalg.norm(X, 2) ** 2  # 1 / Lipschitz constant of the smooth part
    w = np.zeros(p)
    for _ in range(n_iter):
        grad = X.T @ (X @ w - y) / n  # gradient of the squared-error term
        w = soft_threshold(w - step * grad, step * alpha)
    return w


def ridge_closed_form(X: np.ndarray, y: np.ndarray, alpha: float) -> np.ndarray:
    """Minimise ||y - Xw||^2 + alpha ||w||^2 (scikit-learn's Ridge objective)."""
    p = X.shape[1]
    return np.linalg.solve(X.T @ X + alpha * np.eye(p), X.T @ y)


# --8<-- [end:ista]
