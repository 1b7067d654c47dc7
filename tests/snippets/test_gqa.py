import math

import pytest
import torch
import torch.nn.functional as F

import attention as A
import gqa as G


def weights(d_model, H, G_, d_h, seed=0):
    g = torch.Generator().manual_seed(seed)
    r = lambda *s: torch.randn(*s, generator=g) / math.sqrt(s[0])
    return r(d_model, H * d_h), r(d_model, G_ * d_h), r(d_model, G_ * d_h), r(H * d_h, d_model)


def test_kv_cache_numbers():
    mib, kib = 2**20, 2**10
    assert G.kv_cache_bytes_per_token(80, 64, 128) == 2.5 * mib
    assert G.kv_cache_bytes_per_token(80, 8, 128) == 320 * kib
    assert G.kv_cache_bytes_per_token(80, 1, 128) == 40 * kib
    assert G.mla_cache_elems_per_layer(512, 64) == 576
    assert G.mha_cache_elems_per_layer(128, 128) == 32768


def test_gqa_equals_mha_when_groups_equal_heads():
    torch.manual_seed(0)
    x = torch.randn(2, 7, 32)
    Wq, Wk, Wv, Wo = weights(32, 4, 4, 8)
    out = G.grouped_query_attention(x, Wq, Wk, Wv, Wo, 4, 4)
    ref, _ = A.multi_head_attention(x, x, Wq, Wk, Wv, Wo, 4)
    assert torch.allclose(out, ref, atol=1e-5)


def test_gqa_equals_mqa_when_one_group():
    torch.manual_seed(1)
    x = torch.randn(2, 7, 32)
    Wq, Wk, Wv, Wo = weights(32, 4, 1, 8)
    out = G.grouped_query_attention(x, Wq, Wk, Wv, Wo, 4, 1)
    # independent MQA: one K and one V (no head axis), broadcast against 4 query heads
    q = (x @ Wq).view(2, 7, 4, 8).transpose(1, 2)
    k, v = x @ Wk, x @ Wv  # (2, 7, 8)
    w = torch.softmax(q @ k.unsqueeze(1).transpose(-2, -1) / math.sqrt(8), -1)
    ref = (w @ v.unsqueeze(1)).transpose(1, 2).reshape(2, 7, 32) @ Wo
    assert torch.allclose(out, ref, atol=1e-5)


@pytest.mark.parametrize("n_kv", [1, 2, 4, 8])
def test_gqa_matches_torch_enable_gqa(n_kv):
    torch.manual_seed(2)
    x = torch.randn(1, 6, 64)
    Wq, Wk, Wv, Wo = weights(64, 8, n_kv, 8)
    out = G.grouped_query_attention(x, Wq, Wk, Wv, Wo, 8, n_kv, causal=True)
    q = (x @ Wq).view(1, 6, 8, 8).transpose(1, 2)
    k = (x @ Wk).view(1, 6, n_kv, 8).transpose(1, 2)
    v = (x @ Wv).view(1, 6, n_kv, 8).transpose(1, 2)
    o = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
    ref = o.transpose(1, 2).reshape(1, 6, 64) @ Wo
    assert torch.allclose(out, ref, atol=1e-5)


def test_mla_absorbed_equals_naive():
    n_heads, d_h, d_rope = 4, 16, 8
    W = G.mla_weights(d_model=64, n_heads=n_heads, d_h=d_h, d_c=24, d_c_q=32, d_rope=d_rope)
    h = torch.randn(10, 64, dtype=torch.float64)
    a = G.mla_naive(h, W, n_heads, d_h, d_rope)
    b = G.mla_absorbed(h, W, n_heads, d_h, d_rope)
    assert torch.allclose(a, b, atol=1e-10)
    # causal: the first token's output must not depend on later tokens
    h2 = h.clone()
    h2[5:] += 1.0
    assert torch.allclose(G.mla_naive(h2, W, n_heads, d_h, d_rope)[:5], a[:5], atol=1e-10)
