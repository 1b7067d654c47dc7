"""Reference results of the 计算器 (docs/tools/calculator.md): for a model configuration and a
scenario (snippets/model_presets.py), every number the calculators show, computed with the functions
the LLM pages use and assert. The calculator page prints them for every preset at build time, and the
browser tests check the JavaScript calculators against that output
(tests/browser/test_calculator.py); tests/snippets/test_model_calc.py checks the counts against
transformers models built on the meta device.
"""

# --8<-- [start:reference]
import math

from bert_params import bert_param_breakdown
from gpt_params import gpt_param_count
from gqa import kv_cache_bytes_per_token, mla_cache_elems_per_layer
from llama_block import llama_param_breakdown
from model_presets import DTYPE_BYTES, PRECISIONS
from model_structure import (
    attention_width,
    decode_attention_width,
    idle_expert_params,
    matmul_params,
    param_breakdown,
)
from scaling import decode_flops, forward_flops, train_flops
from training_memory import activation_bytes_per_layer, model_state_bytes

GIB = 2**30


def family_total(c):
    """The parameter count of the site's own formula for the model's family (None for MoE/MLA
    models, which are counted by model_structure and checked against transformers)."""
    if c["family"] == "bert":
        return bert_param_breakdown(
            V=c["vocab"],
            H=c["d_model"],
            L=c["n_layers"],
            I=c["d_ff"],
            P=c["positions"],
            S=c["segments"],
            pooler=c["pooler"],
        )["total"]
    if c["family"] == "gpt2":
        return gpt_param_count(c["n_layers"], c["d_model"], c["vocab"], c["positions"], c["final_norm"])["total"]
    if c["family"] == "llama":
        shape = dict(d=c["d_model"], n_layers=c["n_layers"], n_heads=c["n_heads"], n_kv_heads=c["n_kv_heads"])
        return llama_param_breakdown(c["vocab"], **shape, d_ff=c["d_ff"], tied=c["tied"])[1]
    return None


def activation_bytes(c, seq, batch, checkpointing):
    """Korthikanti et al. (2022), eq. (1) per layer, times the layers. With checkpointing each layer
    keeps only its 16-bit input (2 s b h bytes) and one layer is recomputed at a time during backward
    (docs/llm/training-memory.md#activation-checkpointing counts both)."""
    layer = activation_bytes_per_layer(seq, batch, c["d_model"], c["n_heads"])
    if checkpointing:
        return (c["n_layers"] - 1) * 2 * seq * batch * c["d_model"] + layer
    return c["n_layers"] * layer


def kv_bytes_per_token(c, dtype_bytes):
    """K and V of one token in every layer; MLA caches its latent and one RoPE key instead."""
    if c["attention"] == "mla":
        return mla_cache_elems_per_layer(c["kv_lora_rank"], c["rope_head_dim"]) * c["n_layers"] * dtype_bytes
    return kv_cache_bytes_per_token(c["n_layers"], c["n_kv_heads"], c["d_head"], dtype_bytes)


def reference(c, s, seq=None, context=None):
    """Every output of the calculators, keyed as the page shows them (data-out). Units: parameters,
    FLOPs, bytes, requests. `seq` (training sequence) and `context` (serving) default to the model's
    own; an encoder has no KV cache (None)."""
    seq, context = seq or c["train_seq"], context or c["context"]
    parts = param_breakdown(c)
    total = family_total(c) or sum(parts.values())
    assert total == sum(parts.values()), "model_structure disagrees with the family's formula"
    active = total - idle_expert_params(c)
    n_mm, L = matmul_params(c), c["n_layers"]
    forward = forward_flops(n_mm, L, seq, attention_width(c))
    if c["causal"]:
        per_token = decode_flops(n_mm, L, context, decode_attention_width(c))
    else:
        per_token = forward_flops(n_mm, L, context, attention_width(c)) / context
    p = PRECISIONS[s["precision"]]
    n, stage = s["n_gpus"], s["zero_stage"]
    out = {
        "params_total": total,
        "params_active": active,
        "params_embeddings": parts["embeddings"],
        "params_attention": parts["attention"],
        "params_ffn": parts["ffn"] + parts["experts"] + parts["router"],
        "params_other": parts["norms"] + parts["output"] + parts["pooler"],
        "matmul_params": n_mm,
        "train_flops_6nd": train_flops(active, s["tokens"]),
        "train_flops_exact": 3 * forward * (s["tokens"] / seq),
        "infer_flops_per_token": per_token,
        "mem_weights": p["weights"] * total / (n if stage >= 3 else 1),
        "mem_grads": p["grads"] * total / (n if stage >= 2 else 1),
        "mem_optimizer": p["optimizer"] * total / (n if stage >= 1 else 1),
        "mem_states": model_state_bytes(total, n, stage, p["optimizer"], p["weights"], p["grads"]),
        "act_full": activation_bytes(c, seq, s["micro_batch"], False),
        "act_ckpt": activation_bytes(c, seq, s["micro_batch"], True),
    }
    out["mem_total"] = out["mem_states"] + out["act_ckpt" if s["checkpointing"] else "act_full"]
    out["serve_weights"] = total * DTYPE_BYTES[s["weight_dtype"]]
    if c["causal"]:
        out["kv_per_token"] = kv_bytes_per_token(c, DTYPE_BYTES[s["kv_dtype"]])
        out["kv_per_request"] = out["kv_per_token"] * context
        free = s["gpu_memory_gib"] * GIB * s["serve_gpus"] - out["serve_weights"]
        out["max_requests"] = max(0, math.floor(free / out["kv_per_request"]))
    else:
        out["kv_per_token"] = out["kv_per_request"] = out["max_requests"] = None
    return out


# --8<-- [end:reference]


# --8<-- [start:hf_meta]
import torch
import transformers


def hf_model(c):
    """The transformers model of a configuration, built on the meta device (shapes only: nothing
    allocated, nothing downloaded)."""
    shape = dict(
        vocab_size=c["vocab"],
        hidden_size=c["d_model"],
        num_hidden_layers=c["n_layers"],
        num_attention_heads=c["n_heads"],
        tie_word_embeddings=c["tied"],
    )
    options = {}
    if c["family"] == "bert":
        cls, options = transformers.BertModel, dict(add_pooling_layer=c["pooler"])
        cfg = transformers.BertConfig(
            **shape,
            intermediate_size=c["d_ff"],
            max_position_embeddings=c["positions"],
            type_vocab_size=c["segments"],
        )
    elif c["family"] == "gpt2":
        cls = transformers.GPT2LMHeadModel
        cfg = transformers.GPT2Config(
            vocab_size=c["vocab"], n_embd=c["d_model"], n_layer=c["n_layers"], n_head=c["n_heads"], n_inner=c["d_ff"]
        )
        cfg.n_positions = c["positions"]
    elif c["family"] == "llama":
        cls = transformers.LlamaForCausalLM
        cfg = transformers.LlamaConfig(
            **shape, num_key_value_heads=c["n_kv_heads"], intermediate_size=c["d_ff"], head_dim=c["d_head"]
        )
    elif c["family"] == "moe":
        cls = transformers.MixtralForCausalLM
        cfg = transformers.MixtralConfig(
            **shape,
            num_key_value_heads=c["n_kv_heads"],
            head_dim=c["d_head"],
            intermediate_size=c["expert_d_ff"],
            num_local_experts=c["n_experts"],
            num_experts_per_tok=c["top_k"],
        )
    else:
        cls = transformers.DeepseekV2ForCausalLM
        cfg = transformers.DeepseekV2Config(
            **shape,
            num_key_value_heads=c["n_heads"],
            intermediate_size=c["d_ff"],
            moe_intermediate_size=c["expert_d_ff"],
            n_routed_experts=c["n_experts"],
            num_experts_per_tok=c["top_k"],
            n_shared_experts=c["n_shared_experts"],
            first_k_dense_replace=c["dense_layers"],
            q_lora_rank=c["q_lora_rank"] or None,
            kv_lora_rank=c["kv_lora_rank"],
            qk_rope_head_dim=c["rope_head_dim"],
            qk_nope_head_dim=c["d_head"],
            v_head_dim=c["v_head_dim"],
        )
    with torch.device("meta"):
        return cls(cfg, **options)


def hf_count(c):
    """Parameters of hf_model(c); a tied output layer shares its tensor and is counted once."""
    return sum(p.numel() for p in hf_model(c).parameters())


# --8<-- [end:hf_meta]
