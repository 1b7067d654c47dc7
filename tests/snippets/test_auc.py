import numpy as np
import pytest
from scipy.stats import mannwhitneyu
from sklearn.metrics import (
    average_precision_score,
    confusion_matrix,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
    roc_curve,
)

import auc


def _data(seed, n=300, ties=False):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.3).astype(int)
    s = rng.normal(size=n) + 1.2 * y
    if ties:
        s = np.round(s, 1)  # many tied scores
    return y, s


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("ties", [False, True])
def test_auc_three_ways_match_sklearn_and_scipy(seed, ties):
    y, s = _data(seed, ties=ties)
    ref = roc_auc_score(y, s)
    fpr, tpr = auc.roc_points(y, s)
    assert auc.auc_pairwise(y, s) == pytest.approx(ref, abs=1e-12)
    assert auc.auc_rank(y, s) == pytest.approx(ref, abs=1e-12)
    assert auc.trapezoid_area(fpr, tpr) == pytest.approx(ref, abs=1e-12)
    u = mannwhitneyu(s[y == 1], s[y == 0]).statistic
    assert u / ((y == 1).sum() * (y == 0).sum()) == pytest.approx(ref, abs=1e-12)


def test_roc_points_match_sklearn_curve():
    y, s = _data(7, ties=True)
    fpr, tpr = auc.roc_points(y, s)
    ref_fpr, ref_tpr, _ = roc_curve(y, s, drop_intermediate=False)
    np.testing.assert_allclose(fpr, ref_fpr)
    np.testing.assert_allclose(tpr, ref_tpr)


@pytest.mark.parametrize("ties", [False, True])
def test_average_precision_matches_sklearn(ties):
    y, s = _data(3, ties=ties)
    assert auc.average_precision(y, s) == pytest.approx(average_precision_score(y, s), abs=1e-12)


def test_flip_and_monotone_invariance():
    y, s = _data(11)
    a = auc.auc_rank(y, s)
    assert auc.auc_rank(y, -s) == pytest.approx(1 - a)
    assert auc.auc_rank(y, np.exp(3 * s)) == pytest.approx(a)


def test_replicating_negatives_keeps_roc_auc_lowers_ap():
    y, s = _data(5, n=500)
    y10, s10 = auc.replicate_negatives(y, s, 10)
    assert (y10 == 0).sum() == 10 * (y == 0).sum()
    assert roc_auc_score(y10, s10) == pytest.approx(roc_auc_score(y, s), abs=1e-12)
    assert average_precision_score(y10, s10) < average_precision_score(y, s) - 0.2


def test_confusion_and_prf_match_sklearn():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    yhat = np.where(rng.random(200) < 0.8, y, 1 - y)
    tp, fp, fn, tn = auc.confusion(y, yhat)
    assert [[tn, fp], [fn, tp]] == confusion_matrix(y, yhat).tolist()
    p, r, f = auc.precision_recall_f1(y, yhat)
    assert p == pytest.approx(precision_score(y, yhat))
    assert r == pytest.approx(recall_score(y, yhat))
    assert f == pytest.approx(f1_score(y, yhat))
