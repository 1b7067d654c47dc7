import numpy as np
import pytest
import torch
import torch.nn as nn
from peft import LoraConfig, get_peft_model
from scipy.stats import norm

import lora_peft as P


class One(nn.Module):
    def __init__(self, d_in=10, d_out=7):
        super().__init__()
        self.lin = nn.Linear(d_in, d_out)

    def forward(self, x):
        return self.lin(x)


def test_lora_starts_at_base_and_merges_exactly():
    torch.manual_seed(0)
    layer = P.LoRALinear(nn.Linear(10, 7), r=3, alpha=6)
    x = torch.randn(4, 10)
    assert torch.equal(layer(x), layer.base(x))
    with torch.no_grad():
        layer.B.normal_()
    assert torch.allclose(layer(x), nn.functional.linear(x, layer.merged_weight(), layer.base.bias), atol=1e-6)
    assert sum(p.numel() for p in layer.parameters() if p.requires_grad) == 3 * (10 + 7)


@pytest.mark.parametrize("rslora", [False, True])
def test_lora_matches_peft_layer(rslora):
    torch.manual_seed(1)
    model = get_peft_model(
        One(), LoraConfig(r=2, lora_alpha=5, target_modules=["lin"], use_rslora=rslora, init_lora_weights=False)
    )
    pl = model.base_model.model.lin
    mine = P.LoRALinear(pl.base_layer, r=2, alpha=5, use_rslora=rslora)
    with torch.no_grad():
        mine.A.copy_(pl.lora_A["default"].weight)
        mine.B.copy_(pl.lora_B["default"].weight)
    x = torch.randn(3, 10)
    assert torch.allclose(mine(x), model(x), atol=1e-6)


def test_lora_counts_equal_peft_on_a_small_llama():
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(
        vocab_size=50,
        hidden_size=64,
        intermediate_size=96,
        num_hidden_layers=3,
        num_attention_heads=8,
        num_key_value_heads=2,  # GQA: k/v projections are narrower
    )
    shapes = P.llama_linear_shapes(64, 96, 8, 2)
    assert shapes["k_proj"] == (16, 64)
    for targets in (["q_proj", "v_proj"], list(shapes)):
        m = get_peft_model(LlamaForCausalLM(cfg), LoraConfig(r=4, target_modules=targets))
        assert m.get_nb_trainable_parameters()[0] == P.lora_params(shapes, targets, 4, 3)


def test_adapter_formula_counts_modules():
    d, m = 48, 8
    down, up = nn.Linear(d, m), nn.Linear(m, d)
    per_adapter = sum(p.numel() for p in down.parameters()) + sum(p.numel() for p in up.parameters())
    assert P.adapter_params(d, m, n_layers=5) == 5 * 2 * per_adapter


def test_nf4_levels_match_bitsandbytes_and_are_normal_quantiles():
    levels = P.nf4_levels()
    assert np.abs(levels - P.BNB_NF4).max() < 1e-6
    # independent check of one level: the largest positive quantile sits at probability `offset`
    assert np.isclose(levels[-1], 1.0)
    second = norm.ppf(0.9677083 - (0.9677083 - 0.5) / 8) / norm.ppf(0.9677083)
    assert np.isclose(levels[-2], second)
    # symmetric variant (no extra value) would have no exact zero
    assert 0.0 in levels and np.sum(levels > 0) == 8


def test_nf4_beats_uniform_int4_on_gaussian_weights():
    torch.manual_seed(0)
    w = torch.randn(64 * 512, dtype=torch.float64)
    e_nf4 = (P.blockwise_quantize(w, P.nf4_levels()) - w).pow(2).mean()
    e_int4 = (P.blockwise_quantize(w, np.arange(-7, 8) / 7) - w).pow(2).mean()
    assert e_nf4 < e_int4
    # every block's absmax element is reconstructed exactly (level +-1)
    q = P.blockwise_quantize(w, P.nf4_levels()).reshape(-1, 64)
    idx = w.reshape(-1, 64).abs().argmax(1)
    assert torch.allclose(q.gather(1, idx[:, None]), w.reshape(-1, 64).gather(1, idx[:, None]))


def test_double_quantisation_bits():
    assert P.quant_constant_bits(64) == 0.5
    assert abs(P.quant_constant_bits(64, double=True) - (8 / 64 + 32 / (64 * 256))) < 1e-12


def test_dora_matches_peft():
    torch.manual_seed(2)
    model = get_peft_model(
        One(), LoraConfig(r=3, lora_alpha=6, target_modules=["lin"], use_dora=True, init_lora_weights=False)
    )
    dl = model.base_model.model.lin
    W = P.dora_weight(
        dl.base_layer.weight,
        dl.lora_A["default"].weight,
        dl.lora_B["default"].weight,
        dl.scaling["default"],
        dl.lora_magnitude_vector["default"].weight,
    )
    x = torch.randn(4, 10)
    assert torch.allclose(x @ W.T + dl.base_layer.bias, model(x), atol=1e-5)
    # the direction has unit norm per output row, so row norms of W' equal the magnitudes
    assert torch.allclose(W.norm(dim=1), dl.lora_magnitude_vector["default"].weight, atol=1e-5)


def test_pretraining_lowers_intrinsic_dimension():
    rows, n_params = P.intrinsic_dimension_experiment(dims=(8, 16, 64))
    acc_pre = {d: a for d, a, _ in rows}
    acc_rand = {d: a for d, _, a in rows}
    assert acc_pre[16] > acc_rand[16] + 0.05
    assert acc_pre[64] > 0.9 and n_params == 20 * 32 + 32 + 32 + 1
