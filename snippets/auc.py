"""Binary-classification metrics written from scratch: confusion matrix, ROC/AUC, PR/AP.

Used by docs/ml/evaluation.md and checked against scikit-learn in tests/snippets/test_auc.py.
"""

import numpy as np
from scipy.stats import rankdata


# --8<-- [start:confusion]
import numpy as np


def confusion(y_true, y_pred):
    """Return (tp, fp, fn, tn) for 0/1 labels and 0/1 predictions."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    tp = int(np.sum((y_pred == 1) & (y_true == 1)))
    fp = int(np.sum((y_pred == 1) & (y_true == 0)))
    fn = int(np.sum((y_pred == 0) & (y_true == 1)))
    tn = int(np.sum((y_pred == 0) & (y_true == 0)))
    return tp, fp, fn, tn


def precision_recall_f1(y_true, y_pred):
    tp, fp, fn, tn = confusion(y_true, y_pred)
    precision = tp / (tp + fp)  # of everything predicted positive, how much is positive
    recall = tp / (tp + fn)  # of all real positives, how many were found (= TPR)
    f1 = 2 * precision * recall / (precision + recall)  # harmonic mean
    return precision, recall, f1


# --8<-- [end:confusion]


# --8<-- [start:rank_auc]
import numpy as np
from scipy.stats import rankdata


def auc_pairwise(y_true, score):
    """AUC as a probability: P(s+ > s-) + 0.5 * P(s+ == s-), over all (pos, neg) pairs."""
    y_true, score = np.asarray(y_true), np.asarray(score, dtype=float)
    pos, neg = score[y_true == 1], score[y_true == 0]
    diff = pos[:, None] - neg[None, :]  # n_pos x n_neg matrix, O(n_pos * n_neg)
    return float(((diff > 0) + 0.5 * (diff == 0)).mean())


def auc_rank(y_true, score):
    """Same number in O(n log n): Mann-Whitney U of the positives divided by n_pos * n_neg."""
    y_true, score = np.asarray(y_true), np.asarray(score, dtype=float)
    ranks = rankdata(score)  # ties get the average rank -> a tie counts 1/2
    n_pos = int(np.sum(y_true == 1))
    n_neg = len(y_true) - n_pos
    u = ranks[y_true == 1].sum() - n_pos * (n_pos + 1) / 2
    return float(u / (n_pos * n_neg))


# --8<-- [end:rank_auc]


# --8<-- [start:roc_curve]
def roc_points(y_true, score):
    """(FPR, TPR) after lowering the threshold past each distinct score, from (0, 0) to (1, 1)."""
    y_true, score = np.asarray(y_true), np.asarray(score, dtype=float)
    order = np.argsort(-score, kind="mergesort")
    s, y = score[order], y_true[order]
    last_of_group = np.r_[s[1:] != s[:-1], True]  # tied scores enter together
    tps = np.cumsum(y == 1)[last_of_group]
    fps = np.cumsum(y == 0)[last_of_group]
    tpr = np.r_[0, tps] / tps[-1]
    fpr = np.r_[0, fps] / fps[-1]
    return fpr, tpr


def trapezoid_area(x, y):
    """Area under a piecewise-linear curve (ties produce diagonal segments = the 1/2 rule)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2))


# --8<-- [end:roc_curve]


# --8<-- [start:pr_curve]
import numpy as np


def pr_points(y_true, score):
    """(recall, precision) at each distinct threshold, highest threshold first."""
    y_true, score = np.asarray(y_true), np.asarray(score, dtype=float)
    order = np.argsort(-score, kind="mergesort")
    s, y = score[order], y_true[order]
    last_of_group = np.r_[s[1:] != s[:-1], True]
    tps = np.cumsum(y == 1)[last_of_group]
    predicted_pos = (np.arange(len(y)) + 1)[last_of_group]
    return tps / tps[-1], tps / predicted_pos


def average_precision(y_true, score):
    """AP = sum_k (R_k - R_{k-1}) * P_k: a step-wise (not trapezoidal) area under the PR curve."""
    recall, precision = pr_points(y_true, score)
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


# --8<-- [end:pr_curve]


# --8<-- [start:imbalance]
import numpy as np


def replicate_negatives(y_true, score, k):
    """Copy every negative k times: the same classifier, a k times more imbalanced test set."""
    y_true, score = np.asarray(y_true), np.asarray(score, dtype=float)
    neg = y_true == 0
    y_new = np.r_[y_true[~neg], np.tile(y_true[neg], k)]
    s_new = np.r_[score[~neg], np.tile(score[neg], k)]
    return y_new, s_new


# --8<-- [end:imbalance]
