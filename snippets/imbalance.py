"""Tools for class imbalance: SMOTE oversampling and the binary focal loss."""

# --8<-- [start:smote]
import numpy as np


def smote(X_min: np.ndarray, n_new: int, k: int = 5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """SMOTE (Chawla et al., 2002): synthesise n_new minority samples.

    Each new point is x_i + u * (x_nn - x_i), u ~ U(0, 1), where x_nn is one of the
    k nearest MINORITY neighbours of a randomly chosen minority sample x_i.
    Returns the new points and, for checking, the (i, nn) index pairs used.
    """
    rng = np.random.default_rng(seed)
    d = np.linalg.norm(X_min[:, None, :] - X_min[None, :, :], axis=-1)
    np.fill_diagonal(d, np.inf)
    neighbours = np.argsort(d, axis=1)[:, :k]  # k nearest minority neighbours
    base = rng.integers(0, len(X_min), n_new)
    nn = neighbours[base, rng.integers(0, k, n_new)]
    u = rng.random((n_new, 1))
    X_new = X_min[base] + u * (X_min[nn] - X_min[base])  # a point on the segment
    return X_new, np.stack([base, nn], axis=1)


# --8<-- [end:smote]


# --8<-- [start:focal]
import torch  # noqa: E402 - the focal section is shown on its own page block
import torch.nn.functional as F  # noqa: E402


def focal_loss(
    logits: torch.Tensor, targets: torch.Tensor, gamma: float = 2.0, alpha: float | None = 0.25
) -> torch.Tensor:
    """Binary focal loss (Lin et al., 2017): mean of -alpha_t (1 - p_t)^gamma log(p_t)."""
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")  # = -log(p_t)
    p = torch.sigmoid(logits)
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = (1 - p_t) ** gamma * ce
    if alpha is not None:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    return loss.mean()


# --8<-- [end:focal]
