import math

import pytest
import torch
import torch.nn.functional as F

import attention as A


def test_scaled_dot_product_matches_torch():
    torch.manual_seed(0)
    q, k, v = torch.randn(2, 3, 5, 8), torch.randn(2, 3, 7, 8), torch.randn(2, 3, 7, 4)
    out, w = A.scaled_dot_product(q, k, v)
    ref = F.scaled_dot_product_attention(q, k, v)
    assert torch.allclose(out, ref, atol=1e-5)
    assert torch.allclose(w.sum(-1), torch.ones(2, 3, 5))


def test_causal_mask_matches_torch():
    torch.manual_seed(1)
    q, k, v = (torch.randn(1, 2, 6, 8) for _ in range(3))
    mask = torch.ones(6, 6, dtype=torch.bool).tril()
    out, w = A.scaled_dot_product(q, k, v, mask)
    ref = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    assert torch.allclose(out, ref, atol=1e-5)
    assert torch.all(w.triu(1) == 0)


@pytest.mark.parametrize("h", [1, 4, 8])
def test_multi_head_matches_nn_multihead_attention(h):
    torch.manual_seed(2)
    d_model, n = 32, 5
    mha = torch.nn.MultiheadAttention(d_model, h, bias=False, batch_first=True)
    x = torch.randn(2, n, d_model)
    ref, ref_w = mha(x, x, x, average_attn_weights=False)
    Wq, Wk, Wv = mha.in_proj_weight.chunk(3)  # nn.Linear stores (out, in)
    out, w = A.multi_head_attention(x, x, Wq.T, Wk.T, Wv.T, mha.out_proj.weight.T, h)
    assert torch.allclose(out, ref, atol=1e-5)
    assert torch.allclose(w, ref_w, atol=1e-5)


def test_cross_attention_shapes_and_values():
    torch.manual_seed(3)
    d_model, h = 16, 4
    mha = torch.nn.MultiheadAttention(d_model, h, bias=False, batch_first=True)
    dec, enc = torch.randn(1, 3, d_model), torch.randn(1, 9, d_model)
    ref, _ = mha(dec, enc, enc)
    Wq, Wk, Wv = mha.in_proj_weight.chunk(3)
    out, w = A.multi_head_attention(dec, enc, Wq.T, Wk.T, Wv.T, mha.out_proj.weight.T, h)
    assert w.shape == (1, h, 3, 9)
    assert torch.allclose(out, ref, atol=1e-5)


@pytest.mark.parametrize("d_k", [16, 64, 256])
def test_score_variance(d_k):
    # theory: Var(q.k) = d_k, so Var(q.k / d_k^p) = d_k^(1 - 2p)
    for p in [0.0, 0.5, 1.0, 1.0 / 3.0]:
        expected = d_k ** (1 - 2 * p)
        assert abs(A.score_variance(d_k, p) / expected - 1) < 0.03


def test_softmax_saturation_trends():
    # with sqrt scaling the statistics do not depend on d_k; without it softmax saturates
    m_small, _, _ = A.softmax_stats(16, 0.5)
    m_large, _, _ = A.softmax_stats(1024, 0.5)
    assert abs(m_small - m_large) < 0.03
    m_raw, j_raw, _ = A.softmax_stats(1024, 0.0)
    assert m_raw > 0.9 and j_raw < 0.1
    m_dk, _, _ = A.softmax_stats(1024, 1.0)
    assert m_dk < 1.5 / 64  # nearly uniform over 64 keys


def test_zero_init_blocks_qk_gradients():
    r = A.init_experiment(0.0)
    n = r["weights"].shape[0]
    assert torch.allclose(r["weights"], torch.full((n, n), 1.0 / n, dtype=torch.float64))
    assert r["grad_W_q"] == 0.0 and r["grad_W_k"] == 0.0
    assert r["grad_W_v"] > 0.0


def test_all_ones_init_is_not_uniform_and_rank_one():
    r = A.init_experiment(1.0)
    assert r["weights"].max(-1).values.min() > 0.9  # nearly one-hot, not uniform
    assert r["grad_W_q_rank"] == 1  # all columns get the same update
    s = r["x"].sum(-1)  # q_i = s_i * 1, k_j = s_j * 1
    scores = torch.outer(s, s) * 16 / math.sqrt(16)
    assert torch.allclose(torch.softmax(scores, -1), r["weights"])


def test_softmax_stats_against_explicit_jacobian():
    # independent computation: build J = diag(p) - p p^T explicitly and use autograd for dp/dq
    d_k, power, n_keys, n_q = 32, 0.5, 10, 20
    g = torch.Generator().manual_seed(0)
    q = torch.randn(n_q, 1, d_k, generator=g)
    k = torch.randn(n_q, n_keys, d_k, generator=g)
    p = torch.softmax((q * k).sum(-1) / d_k**power, -1)
    jac = torch.diag_embed(p) - p.unsqueeze(-1) * p.unsqueeze(-2)
    grads = []
    for i in range(n_q):
        f = lambda qi, ki=k[i]: torch.softmax((qi * ki).sum(-1) / d_k**power, -1)
        grads.append(torch.autograd.functional.jacobian(f, q[i, 0]).norm())
    m, j, gnorm = A.softmax_stats(d_k, power, n_keys=n_keys, n_queries=n_q)
    assert abs(m - p.max(-1).values.mean().item()) < 1e-6
    assert abs(j - jac.flatten(1).norm(dim=-1).mean().item()) < 1e-5
    assert abs(gnorm - torch.stack(grads).mean().item()) < 1e-5
