import numpy as np

import optim_rules as R
import sparse_adam as S


def test_dense_adam_moves_rare_row_about_six_lr():
    lr = 1e-3
    dense, lazy = S.rare_word_displacements(steps=2000, lr=lr)
    assert abs(lazy.sum() / lr - 1) < 1e-6
    assert abs(dense.sum() / lr - 6.0055) < 1e-3
    assert np.count_nonzero(lazy) == 1 and np.all(dense > 0)
    # independent re-computation with the generic Adam implementation
    p, state, total = np.array([0.0]), {}, 0.0
    for t in range(2000):
        new = R.adam(p, np.array([1.0 if t == 0 else 0.0]), state, lr=lr)
        total += abs(new - p)[0]
        p = new
    assert abs(total - dense.sum()) < 1e-12


def test_torch_adam_vs_sparse_adam_on_embedding():
    lr = 1e-3
    dense = S.embedding_row_drift("Adam", lr=lr)
    lazy = S.embedding_row_drift("SparseAdam", lr=lr)
    assert np.allclose(lazy.numpy() / lr, 1.0, atol=1e-3)
    assert np.all(dense.numpy() / lr > 5.9)
