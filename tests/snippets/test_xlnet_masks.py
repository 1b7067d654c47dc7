import itertools

import numpy as np
import pytest
import torch

from xlnet_masks import ar_factorisation, permutation_masks, two_stream_forward


@pytest.mark.parametrize("seed", range(5))
def test_masks_match_loop_definition(seed):
    g = torch.Generator().manual_seed(seed)
    T = 7
    order = torch.randperm(T, generator=g)
    content, query = permutation_masks(order)
    pos_in_order = {int(p): t for t, p in enumerate(order)}
    for i in range(T):
        for j in range(T):
            assert bool(content[i, j]) == (pos_in_order[j] <= pos_in_order[i])
            assert bool(query[i, j]) == (pos_in_order[j] < pos_in_order[i])
    assert content.diagonal().all() and not query.diagonal().any()
    # number of visible positions for the t-th predicted token is t (query) / t+1 (content)
    assert sorted(query.sum(1).tolist()) == list(range(T))


def test_identity_order_gives_causal_mask():
    content, query = permutation_masks(torch.arange(5))
    assert torch.equal(content, torch.tril(torch.ones(5, 5, dtype=torch.bool)))
    assert torch.equal(query, torch.tril(torch.ones(5, 5, dtype=torch.bool), -1))


def _model(V=11, T=6, d=16, n_layers=2):
    g = torch.Generator().manual_seed(0)
    emb = torch.randn(V, d, generator=g)
    pos = torch.randn(T, d, generator=g)
    w = torch.randn(d, generator=g)
    layers = [tuple(torch.randn(d, d, generator=g) / d**0.5 for _ in range(3)) for _ in range(n_layers)]
    return emb, pos, w, layers


def test_query_stream_never_sees_target_or_later_tokens():
    emb, pos, w, layers = _model()
    order = torch.tensor([3, 0, 5, 1, 4, 2])
    x = torch.tensor([1, 2, 3, 4, 5, 6])
    h, g = two_stream_forward(x, order, emb, pos, w, layers)
    for t in range(1, 6):
        target = int(order[t])
        later = order[t:]  # target itself and everything after it in the order
        x2 = x.clone()
        x2[later] = (x2[later] + 3) % 11
        h2, g2 = two_stream_forward(x2, order, emb, pos, w, layers)
        assert torch.allclose(g[target], g2[target], atol=1e-6)  # query stream: blind
        assert not torch.allclose(h[target], h2[target], atol=1e-3)  # content stream sees x_target
        # changing an earlier token does change the query stream
        x3 = x.clone()
        x3[order[t - 1]] = (x3[order[t - 1]] + 3) % 11
        _, g3 = two_stream_forward(x3, order, emb, pos, w, layers)
        assert not torch.allclose(g[target], g3[target], atol=1e-3)


def test_chain_rule_any_order_reproduces_joint():
    rng = np.random.default_rng(1)
    joint = rng.random((2, 3, 2))
    joint /= joint.sum()
    for order in itertools.permutations(range(3)):
        np.testing.assert_allclose(ar_factorisation(joint, list(order)), joint, rtol=1e-12)
    # independent check of one conditional: p(x0=1 | x2=0) by direct division
    order = [2, 0, 1]
    from xlnet_masks import conditional

    direct = joint[1, :, 0].sum() / joint[:, :, 0].sum()
    assert np.isclose(conditional(joint, order, 1, (1, 0, 0)), direct)
