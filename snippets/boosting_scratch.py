"""Boosting from scratch: AdaBoost with stumps, gradient boosting, XGBoost split gain, GOSS, CatBoost TS.

Used by docs/ml/boosting.md; cross-checked against scikit-learn in tests/snippets/test_boosting_scratch.py.
"""

import numpy as np
from sklearn.tree import DecisionTreeRegressor


# --8<-- [start:adaboost]
import numpy as np


def fit_stump(X, y, w):
    """Best decision stump under sample weights w; labels y in {-1, +1}.

    Returns (weighted_error, feature, threshold, polarity); predicts polarity where x > threshold.
    """
    best = (np.inf, 0, 0.0, 1)
    for j in range(X.shape[1]):
        values = np.unique(X[:, j])
        thresholds = np.r_[values[0] - 1, (values[1:] + values[:-1]) / 2]
        for t in thresholds:
            pred = np.where(X[:, j] > t, 1, -1)
            err = w[pred != y].sum()
            for polarity, e in ((1, err), (-1, 1 - err)):  # flipping the stump flips its error
                if e < best[0]:
                    best = (e, j, t, polarity)
    return best


def stump_predict(X, j, t, polarity):
    return polarity * np.where(X[:, j] > t, 1, -1)


def adaboost(X, y, n_rounds):
    """Discrete AdaBoost (Freund & Schapire 1997) in the +-1 / exponential-loss form."""
    n = len(y)
    w = np.full(n, 1 / n)
    F = np.zeros(n)
    out = {"stumps": [], "alpha": [], "error": [], "Z": [], "weights": [], "train_error": []}
    for _ in range(n_rounds):
        out["weights"].append(w)  # the distribution this round's stump is trained on
        e, j, t, pol = fit_stump(X, y, w)
        alpha = 0.5 * np.log((1 - e) / e)
        h = stump_predict(X, j, t, pol)
        w = w * np.exp(-alpha * y * h)  # misclassified: x e^alpha, correct: x e^-alpha
        z = w.sum()  # normaliser Z_t = 2 sqrt(e (1 - e))
        w = w / z
        F += alpha * h
        out["stumps"].append((j, t, pol))
        out["alpha"].append(alpha)
        out["error"].append(e)
        out["Z"].append(z)
        out["train_error"].append(np.mean(np.sign(F) != y))
    out = {k: (v if k in ("stumps", "weights") else np.array(v)) for k, v in out.items()}
    out["F"] = F
    return out


# --8<-- [end:adaboost]


# --8<-- [start:gbdt]
import numpy as np
from sklearn.tree import DecisionTreeRegressor


def sigmoid(f):
    return 1 / (1 + np.exp(-f))


def negative_gradient(loss, y, F):
    """Pseudo-residual r = -dL/dF evaluated at the current model output F."""
    if loss == "squared":  # L = (y - F)^2 / 2
        return y - F
    if loss == "logloss":  # L = -y log p - (1 - y) log(1 - p), p = sigmoid(F), y in {0, 1}
        return y - sigmoid(F)
    raise ValueError(loss)


def gradient_boosting(X, y, loss, n_trees, lr, max_depth):
    """Friedman (2001) gradient boosting with regression trees; returns F on X and the trees."""
    # best constant model: the mean for squared loss, the prior log-odds for log loss
    F = np.full(len(y), y.mean() if loss == "squared" else np.log(y.mean() / (1 - y.mean())))
    trees = []
    for _ in range(n_trees):
        r = negative_gradient(loss, y, F)
        tree = DecisionTreeRegressor(max_depth=max_depth, random_state=0)
        tree.fit(X, r)  # the tree only decides the regions (leaves)
        leaf = tree.apply(X)
        step = np.zeros(len(y))
        for node in np.unique(leaf):
            m = leaf == node
            if loss == "squared":  # exact line search in the leaf: mean residual
                step[m] = r[m].mean()
            else:  # one Newton step in the leaf: sum(g) / sum(h), h = p (1 - p)
                p = sigmoid(F[m])
                step[m] = r[m].sum() / (p * (1 - p)).sum()
        F = F + lr * step
        trees.append(tree)
    return F, trees


# --8<-- [end:gbdt]


# --8<-- [start:xgb_gain]
def leaf_weight(G, H, lam):
    """XGBoost optimal leaf weight w* = -G / (H + lambda)."""
    return -G / (H + lam)


def leaf_score(G, H, lam):
    """Best value of G w + (H + lambda) w^2 / 2, i.e. -G^2 / (2 (H + lambda))."""
    return -0.5 * G**2 / (H + lam)


def split_gain(g, h, left, lam, gamma):
    """Gain = 1/2 [G_L^2/(H_L+l) + G_R^2/(H_R+l) - G^2/(H+l)] - gamma (Chen & Guestrin 2016, eq. 7)."""
    GL, HL, GR, HR = g[left].sum(), h[left].sum(), g[~left].sum(), h[~left].sum()
    return 0.5 * (GL**2 / (HL + lam) + GR**2 / (HR + lam) - (GL + GR) ** 2 / (HL + HR + lam)) - gamma


# --8<-- [end:xgb_gain]


# --8<-- [start:goss]
import numpy as np


def goss_sample(grad, a, b, rng):
    """LightGBM GOSS: keep the top a fraction by |gradient|, sample b fraction of the rest,
    and up-weight the sampled small-gradient rows by (1 - a) / b."""
    n = len(grad)
    order = np.argsort(-np.abs(grad))
    top = order[: int(a * n)]
    rest = rng.choice(order[int(a * n) :], size=int(b * n), replace=False)
    idx = np.r_[top, rest]
    weight = np.r_[np.ones(len(top)), np.full(len(rest), (1 - a) / b)]
    return idx, weight


# --8<-- [end:goss]


# --8<-- [start:target_stats]
import numpy as np


def greedy_target_stat(cat, y, prior, a=1.0):
    """Mean target of the category over ALL rows, including the row itself (leaks the label)."""
    out = np.empty(len(y))
    for c in np.unique(cat):
        m = cat == c
        out[m] = (y[m].sum() + a * prior) / (m.sum() + a)
    return out


def ordered_target_stat(cat, y, prior, a=1.0, rng=None):
    """CatBoost ordered TS: under a random permutation, use only the rows that come BEFORE."""
    rng = rng or np.random.default_rng(0)
    perm = rng.permutation(len(y))
    sums, counts = {}, {}
    out = np.empty(len(y))
    for i in perm:
        c = cat[i]
        out[i] = (sums.get(c, 0.0) + a * prior) / (counts.get(c, 0) + a)
        sums[c] = sums.get(c, 0.0) + y[i]
        counts[c] = counts.get(c, 0) + 1
    return out


# --8<-- [end:target_stats]
