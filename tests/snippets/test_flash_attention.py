"""Tiled attention (FlashAttention-style) against PyTorch's SDPA and its CPU flash kernel."""

import math

import pytest
import torch
import torch.nn.functional as F

import flash_attention as FA


def test_online_softmax_matches_torch_and_merges():
    xs = [3.0, -1.0, 700.0, 2.5, 699.0]  # exp(700) overflows float64 without the running max
    probs, m, l = FA.online_softmax(xs)
    ref = torch.softmax(torch.tensor(xs, dtype=torch.float64), 0)
    assert torch.allclose(torch.tensor(probs, dtype=torch.float64), ref)
    a, b = FA.online_softmax(xs[:2])[1:], FA.online_softmax(xs[2:])[1:]
    merged = FA.merge(a, b)
    assert merged[0] == m and math.isclose(merged[1], l)


@pytest.mark.parametrize("block", [1, 7, 16, 100])
def test_tiled_attention_is_exact(block):
    torch.manual_seed(3)
    q, k, v = torch.randn(9, 16), torch.randn(50, 16), torch.randn(50, 8)
    ref = F.scaled_dot_product_attention(q.unsqueeze(0), k.unsqueeze(0), v.unsqueeze(0))[0]
    assert torch.allclose(FA.tiled_attention(q, k, v, block), ref, atol=1e-5)
    # large logits: no overflow thanks to the running max
    assert torch.isfinite(FA.tiled_attention(q * 100, k * 100, v, block)).all()


def test_autograd_through_tiled_forward_matches_sdpa():
    torch.manual_seed(4)
    q, k, v = (torch.randn(20, 8, dtype=torch.float64, requires_grad=True) for _ in range(3))
    g = torch.randn(20, 8, dtype=torch.float64)
    ours = torch.autograd.grad(FA.tiled_attention(q, k, v, 6), (q, k, v), g)
    ref = torch.autograd.grad(F.scaled_dot_product_attention(q[None], k[None], v[None])[0], (q, k, v), g)
    for a, b in zip(ours, ref, strict=True):
        torch.testing.assert_close(a, b)


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("n,block", [(33, 8), (64, 64), (70, 16)])
def test_flash_forward_backward_match_sdpa(causal, n, block):
    torch.manual_seed(5)
    q, k, v = (torch.randn(2, 3, n, 8, dtype=torch.float64, requires_grad=True) for _ in range(3))
    out = FA.FlashAttention.apply(q, k, v, causal, block)
    ref = F.scaled_dot_product_attention(q, k, v, is_causal=causal)
    torch.testing.assert_close(out, ref)
    g = torch.randn_like(out)
    for a, b in zip(torch.autograd.grad(out, (q, k, v), g), torch.autograd.grad(ref, (q, k, v), g), strict=True):
        torch.testing.assert_close(a, b)


def test_logsumexp_matches_aten_cpu_flash_kernel():
    torch.manual_seed(6)
    q, k, v = (torch.randn(1, 2, 40, 16) for _ in range(3))
    o_ref, lse_ref = torch.ops.aten._scaled_dot_product_flash_attention_for_cpu(q, k, v)[:2]
    o, lse = FA.flash_forward(q, k, v, 16, 16)
    torch.testing.assert_close(o, o_ref, atol=1e-5, rtol=1e-5)
    # independent definition of the logsumexp
    ref = torch.logsumexp(q @ k.transpose(-2, -1) / 4.0, -1)
    torch.testing.assert_close(lse, ref, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(lse, lse_ref, atol=1e-5, rtol=1e-5)


def test_hbm_counts():
    # Algorithm 0: 4 N^2 + 4 N d
    assert FA.standard_attention_hbm(10, 3) == 4 * 100 + 4 * 30
    # when one K/V block covers the whole sequence, Q and O are read/written once
    n, d = 64, 8
    assert FA.flash_attention_hbm(n, d, sram_elems=4 * d * n) == 2 * n * d + 3 * n * d + 4 * n
    # leading term 12 N^2 d^2 / M for a large N
    n, d, m = 1 << 16, 64, 1 << 15
    # (the 4N term for l and m adds 4/(3d) relative)
    assert abs(FA.flash_attention_hbm(n, d, m) / (12 * n * n * d * d / m) - 1 - 4 / (3 * d)) < 0.01
