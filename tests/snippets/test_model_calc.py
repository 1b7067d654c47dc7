"""The 计算器's Python side: presets (model_presets), the general counts (model_structure) and the
reference results (model_calc), against the site's per-family formulas, transformers models built on
the meta device, PyTorch's FlopCounterMode and the training-memory page's counted activations."""

import math

import pytest
import torch
import transformers
from torch.utils.checkpoint import checkpoint
from torch.utils.flop_counter import FlopCounterMode

import model_calc as MC
import model_structure as MS
import scaling
import training_memory as TM
from model_presets import DTYPE_BYTES, PRECISIONS, PRESETS, SCENARIO

CONFIG_KEYS = set(PRESETS["llama-2-7b"]["config"])


@pytest.mark.parametrize("key", PRESETS)
def test_every_preset_names_its_published_source_and_has_every_field(key):
    preset = PRESETS[key]
    assert preset["label"] and preset["source"] and preset["url"].startswith("https://")
    assert set(preset["config"]) == CONFIG_KEYS
    assert preset["config"]["family"] in {"bert", "gpt2", "llama", "moe", "mla"}


@pytest.mark.parametrize("key", PRESETS)
def test_every_preset_counts_like_its_family_formula_and_transformers(key):
    c = PRESETS[key]["config"]
    total = sum(MS.param_breakdown(c).values())
    assert total == MC.hf_count(c)
    if c["family"] in {"bert", "gpt2", "llama"}:
        assert total == MC.family_total(c)


def test_published_totals_of_the_presets():
    totals = {k: MC.reference(p["config"], SCENARIO) for k, p in PRESETS.items()}
    assert totals["bert-base"]["params_total"] == 109_482_240  # docs/plm/bert.md
    assert totals["gpt-2"]["params_total"] == 124_439_808  # docs/plm/gpt.md
    assert totals["llama-2-7b"]["params_total"] == 6_738_415_616  # docs/llm/decoder-block.md
    mixtral = totals["mixtral-8x7b"]
    assert (round(mixtral["params_total"] / 1e9, 1), round(mixtral["params_active"] / 1e9, 1)) == (46.7, 12.9)
    v2 = totals["deepseek-v2"]  # DeepSeek-V2 abstract: 236B total, 21B activated
    assert (round(v2["params_total"] / 1e9), round(v2["params_active"] / 1e9)) == (236, 21)


def edited(key, **changes):
    return dict(PRESETS[key]["config"], **changes)


EDITED = [
    edited("llama-2-7b", n_kv_heads=8, tied=True),  # GQA, tied: like Llama 3.2 small models
    edited("llama-2-70b", n_kv_heads=1, d_ff=1000, vocab=1234),  # MQA
    edited(
        "bert-base", n_layers=3, d_model=256, n_heads=4, n_kv_heads=4, d_head=64, d_ff=1000, segments=3, pooler=False
    ),
    edited("gpt-2", n_layers=2, d_model=128, n_heads=4, n_kv_heads=4, d_head=32, d_ff=512, positions=77),
    edited("mixtral-8x7b", n_experts=4, top_k=1, n_layers=3, d_model=256, n_heads=8, d_head=32, n_kv_heads=2),
    edited("deepseek-v2", q_lora_rank=0, n_layers=4, dense_layers=2, n_experts=8, n_shared_experts=1, d_model=256),
]


@pytest.mark.parametrize("c", EDITED, ids=lambda c: c["family"])
def test_edited_configurations_count_like_transformers(c):
    assert sum(MS.param_breakdown(c).values()) == MC.hf_count(c)


def tiny(c, **changes):
    """A small model of the same architecture, with weights (for FlopCounterMode)."""
    small = dict(c, n_layers=2, d_model=32, n_heads=4, d_head=8, d_ff=48, vocab=100, expert_d_ff=16)
    small.update(kv_lora_rank=8, q_lora_rank=12 if c["q_lora_rank"] else 0, rope_head_dim=4, v_head_dim=6)
    small.update(n_kv_heads=2 if c["n_kv_heads"] < c["n_heads"] else 4, positions=16 if c["positions"] else 0)
    small.update(changes)
    model = MC.hf_model(small)
    config = model.config
    config._attn_implementation = "eager"  # explicit matmuls, counted by FlopCounterMode
    if hasattr(config, "_experts_implementation"):
        config._experts_implementation = "eager"  # experts as a loop of matmuls (grouped_mm is not counted)
    torch.manual_seed(0)
    options = dict(add_pooling_layer=small["pooler"]) if small["family"] == "bert" else {}
    return small, type(model)(config, **options).eval()


@pytest.mark.parametrize("key", PRESETS)
def test_forward_flops_of_every_architecture_match_flop_counter(key):
    c, model = tiny(PRESETS[key]["config"])
    T = 7
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(torch.randint(0, 100, (1, T)))
    expected = scaling.forward_flops(MS.matmul_params(c), c["n_layers"], T, MS.attention_width(c))
    pooler = 2 * c["d_model"] ** 2 if c["pooler"] else 0  # BERT's pooler sees one token per sequence
    assert counter.get_total_flops() == expected + pooler


@pytest.mark.parametrize("key", ["llama-2-70b", "mixtral-8x7b", "gpt-2"])
def test_decode_flops_match_flop_counter(key):
    c, model = tiny(PRESETS[key]["config"])
    ids = torch.randint(0, 100, (1, 9))
    with torch.no_grad():
        cache = model(ids[:, :-1], use_cache=True).past_key_values
        with FlopCounterMode(display=False) as counter:
            model(ids[:, -1:], past_key_values=cache, use_cache=True)
    expected = scaling.decode_flops(MS.matmul_params(c), c["n_layers"], 9, MS.decode_attention_width(c))
    assert counter.get_total_flops() == expected


def test_mla_decoding_attends_over_the_latent_with_absorbed_weights():
    """Per head and cached token: a (d_c + d_R)-wide score and a d_c-wide weighted sum of latents."""
    c = PRESETS["deepseek-v2"]["config"]
    per_token = 2 * c["n_heads"] * (c["kv_lora_rank"] + c["rope_head_dim"]) + 2 * c["n_heads"] * c["kv_lora_rank"]
    assert 4 * MS.decode_attention_width(c) == per_token
    assert MS.decode_attention_width(c) > MS.attention_width(c)  # more FLOPs than decompressed K, V; far less cache


def test_reference_memory_is_the_sum_of_its_parts_for_every_precision_and_stage():
    c = PRESETS["llama-2-7b"]["config"]
    for precision, p in PRECISIONS.items():
        for stage in range(4):
            ref = MC.reference(c, dict(SCENARIO, precision=precision, zero_stage=stage))
            assert ref["mem_states"] == ref["mem_weights"] + ref["mem_grads"] + ref["mem_optimizer"]
            assert stage or ref["mem_states"] == (p["weights"] + p["grads"] + p["optimizer"]) * ref["params_total"]
    fp32 = MC.reference(c, dict(SCENARIO, precision="fp32"))
    assert fp32["mem_states"] == 16 * fp32["params_total"]  # 4 + 4 + 8: no separate master copy


def test_checkpointed_activations_equal_the_counted_peak_of_the_training_memory_page():
    s, b, h, a, n_layers = 8, 2, 16, 2, 3
    c = edited("gpt-2", n_layers=n_layers, d_model=h, n_heads=a)
    torch.manual_seed(0)
    layers = [TM.GPTLayer(h, a) for _ in range(n_layers)]
    params = [p for layer in layers for p in layer.parameters()]
    tracker = TM.SavedTensorTracker(params)
    with tracker.hooks():
        out = torch.randn(s, b, h, dtype=torch.bfloat16, requires_grad=True)
        for layer in layers:
            out = checkpoint(layer, out, use_reentrant=True)
        out.float().sum().backward()
    layer_norm_stats = 2 * 2 * s * b * 2  # kept by one recomputed layer, ignored by the paper
    assert tracker.peak == MC.activation_bytes(c, s, b, True) + layer_norm_stats
    assert MC.activation_bytes(c, s, b, False) == n_layers * TM.activation_bytes_per_layer(s, b, h, a)


def test_kv_cache_and_concurrent_requests():
    ref = MC.reference(PRESETS["llama-2-70b"]["config"], SCENARIO)
    assert ref["kv_per_token"] == 320 * 2**10  # docs/transformer/efficient-attention.md#kv-cache-size
    v2 = MC.reference(PRESETS["deepseek-v2"]["config"], dict(SCENARIO, kv_dtype="fp8"))
    assert v2["kv_per_token"] == (512 + 64) * 60 * DTYPE_BYTES["fp8"]
    free = SCENARIO["gpu_memory_gib"] * 2**30 * SCENARIO["serve_gpus"] - ref["serve_weights"]
    assert ref["max_requests"] == math.floor(free / ref["kv_per_request"]) > 0
    tight = MC.reference(PRESETS["llama-2-70b"]["config"], dict(SCENARIO, serve_gpus=1))
    assert tight["max_requests"] == 0  # 138 GB of bf16 weights do not fit one 80 GiB GPU
    bert = MC.reference(PRESETS["bert-base"]["config"], SCENARIO)
    assert bert["kv_per_token"] is bert["max_requests"] is None  # an encoder has no KV cache


def test_hf_model_is_never_allocated():
    model = MC.hf_model(PRESETS["deepseek-v2"]["config"])
    assert all(p.device.type == "meta" for p in model.parameters())
    assert isinstance(model, transformers.DeepseekV2ForCausalLM)
