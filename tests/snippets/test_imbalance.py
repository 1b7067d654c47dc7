"""SMOTE and focal loss checked against definitions and PyTorch built-ins."""

import math

import numpy as np
import torch
import torch.nn.functional as F

from imbalance import focal_loss, smote


def test_smote_points_are_interpolations_of_minority_neighbours():
    rng = np.random.default_rng(1)
    X_min = rng.normal(size=(30, 3))
    X_new, pairs = smote(X_min, 200, k=4, seed=2)
    assert X_new.shape == (200, 3)
    # neighbour really is among the k nearest (brute force, independent of the implementation)
    for i, j in pairs:
        d = np.linalg.norm(X_min - X_min[i], axis=1)
        d[i] = np.inf
        assert j != i and d[j] <= np.sort(d)[3] + 1e-12
    a, b = X_min[pairs[:, 0]], X_min[pairs[:, 1]]
    u = np.sum((X_new - a) * (b - a), axis=1) / np.sum((b - a) ** 2, axis=1)
    np.testing.assert_allclose(a + u[:, None] * (b - a), X_new, atol=1e-12)
    assert np.all((u >= 0) & (u <= 1))
    # synthetic points stay inside the bounding box of the minority class
    assert np.all(X_new >= X_min.min(0) - 1e-12) and np.all(X_new <= X_min.max(0) + 1e-12)


def test_focal_loss_reduces_to_bce_and_matches_formula():
    torch.manual_seed(0)
    logits, targets = torch.randn(50), torch.randint(0, 2, (50,)).float()
    torch.testing.assert_close(
        focal_loss(logits, targets, gamma=0.0, alpha=None), F.binary_cross_entropy_with_logits(logits, targets)
    )
    # element-wise formula computed in plain Python
    total = 0.0
    for z, t in zip(logits.tolist(), targets.tolist(), strict=False):
        p = 1 / (1 + math.exp(-z))
        pt = p if t == 1 else 1 - p
        at = 0.25 if t == 1 else 0.75
        total += -at * (1 - pt) ** 2 * math.log(pt)
    assert abs(focal_loss(logits, targets).item() - total / 50) < 1e-5


def test_focal_loss_down_weights_easy_examples():
    one = torch.ones(1)
    easy, hard = torch.tensor([3.0]), torch.tensor([-1.0])
    r_easy = focal_loss(easy, one, alpha=None) / F.binary_cross_entropy_with_logits(easy, one)
    r_hard = focal_loss(hard, one, alpha=None) / F.binary_cross_entropy_with_logits(hard, one)
    assert r_easy < 0.01 < 0.5 < r_hard
