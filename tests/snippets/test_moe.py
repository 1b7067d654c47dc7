import pytest
import torch
import transformers
from transformers import MixtralConfig
from transformers.models.mixtral.modeling_mixtral import MixtralSparseMoeBlock, load_balancing_loss_func
from transformers.models.switch_transformers.modeling_switch_transformers import router_z_loss_func

import moe as M

transformers.logging.set_verbosity_error()


def copy_into_mixtral(layer, d, d_ff, n_experts, k):
    block = MixtralSparseMoeBlock(
        MixtralConfig(hidden_size=d, intermediate_size=d_ff, num_local_experts=n_experts, num_experts_per_tok=k)
    ).eval()
    with torch.no_grad():
        block.gate.weight.copy_(layer.router.weight)
        for e, ex in enumerate(layer.experts):
            block.experts.gate_up_proj[e].copy_(torch.cat([ex.w1.weight, ex.w3.weight], 0))
            block.experts.down_proj[e].copy_(ex.w2.weight)
    return block


@pytest.mark.parametrize("k", [1, 2, 3])
def test_moe_matches_mixtral_block(k):
    torch.manual_seed(k)
    layer = M.TopKMoE(12, 20, n_experts=6, k=k).eval()
    block = copy_into_mixtral(layer, 12, 20, 6, k)
    x = torch.randn(30, 12)
    with torch.no_grad():
        y, _ = layer(x)
        assert torch.allclose(y, block(x[None])[0], atol=1e-6)


def test_moe_matches_per_token_computation():
    torch.manual_seed(0)
    layer = M.TopKMoE(8, 16, n_experts=4, k=2).eval()
    x = torch.randn(25, 8)
    with torch.no_grad():
        y, info = layer(x)
        for t in range(25):
            logits = layer.router(x[t])
            top = logits.topk(2)
            w = top.values.softmax(-1)
            ref = sum(w[j] * layer.experts[int(top.indices[j])](x[t]) for j in range(2))
            assert torch.allclose(y[t], ref, atol=1e-6)


@pytest.mark.parametrize("k", [1, 2, 4])
def test_load_balancing_loss_matches_transformers(k):
    torch.manual_seed(k)
    logits = torch.randn(64, 8) * 2
    ours = M.load_balancing_loss(logits, k)
    theirs = load_balancing_loss_func((logits,), num_experts=8, top_k=k)
    assert torch.allclose(ours, theirs)


def test_load_balancing_loss_minimum_is_k_for_uniform_routing():
    # each expert is chosen equally often and receives equal mean probability
    for k in (1, 2, 4):
        logits = torch.zeros(8, 8)
        for t in range(8):
            for j in range(k):
                logits[t, (t + j) % 8] = 1e-4 * (k - j)
        assert abs(M.load_balancing_loss(logits, k).item() - k) < 1e-3


def test_capacity_drops_exactly_the_overflow_in_priority_order():
    torch.manual_seed(3)
    layer = M.TopKMoE(8, 16, n_experts=4, k=2, capacity_factor=0.75).eval()
    x = torch.randn(32, 8)
    with torch.no_grad():
        y, info = layer(x)
    cap = M.expert_capacity(32, 4, 2, 0.75)
    idx, keep = info["idx"], info["keep"]
    # independent priority queue: first choices in token order, then second choices
    used, expected = [0] * 4, torch.zeros_like(keep)
    for slot in range(2):
        for t in range(32):
            e = int(idx[t, slot])
            if used[e] < cap:
                used[e] += 1
                expected[t, slot] = True
    assert torch.equal(keep, expected)
    # dropped assignments contribute nothing
    with torch.no_grad():
        for t in range(32):
            ref = sum(info["weights"][t, j] * layer.experts[int(idx[t, j])](x[t]) for j in range(2) if keep[t, j])
            assert torch.allclose(y[t], ref if torch.is_tensor(ref) else torch.zeros(8), atol=1e-6)


def test_router_z_loss():
    torch.manual_seed(0)
    logits = torch.randn(10, 5)
    ref = torch.tensor([torch.log(torch.exp(r).sum()) ** 2 for r in logits]).mean()
    assert torch.allclose(M.router_z_loss(logits), ref)
    assert M.router_z_loss(logits + 3) > M.router_z_loss(logits)


def test_router_z_loss_matches_transformers_switch():
    torch.manual_seed(1)
    logits = torch.randn(3, 7, 8) * 4  # (groups, tokens per group, experts)
    assert torch.allclose(M.router_z_loss(logits.reshape(-1, 8)), router_z_loss_func(logits))


def test_bias_balancing_reduces_imbalance():
    g = torch.Generator().manual_seed(1)
    pref = torch.linspace(0, 2, 8)
    scores = torch.sigmoid(torch.randn(200, 128, 8, generator=g) + pref)
    fixed, _ = M.simulate_bias_balancing(scores, 2, 0.0, 200)
    adaptive, bias = M.simulate_bias_balancing(scores, 2, 0.02, 200)
    assert sum(adaptive[-40:]) < 0.7 * sum(fixed[-40:])
    assert bias[0] > bias[-1] and torch.corrcoef(torch.stack([bias, pref]))[0, 1] < -0.9
