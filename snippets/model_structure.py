"""Parameter counts and attention widths of one model configuration (snippets/model_presets.py),
for the 计算器 (docs/tools/calculator.md) and its JavaScript twin
(overrides/assets/javascripts/calc-formulas.js).

Exact for the architectures of the presets: checked in tests/snippets/test_model_calc.py against the
site's per-family formulas (bert_params, gpt_params, llama_block), against transformers models built
on the meta device, and the FLOP widths against PyTorch's FlopCounterMode.
"""


# --8<-- [start:structure]
def linear(n_in, n_out, bias):
    """Weights (+ biases) of one linear layer."""
    return n_in * n_out + (n_out if bias else 0)


def attention_params(c):
    """One layer's attention projections. Standard: Q and O have n_heads heads, K and V n_kv_heads
    (GQA; MHA and MQA are its two ends). MLA (DeepSeek-V2, section 2.1): queries through a rank
    q_lora_rank bottleneck (or one projection when it is 0); keys and values from one latent of
    width kv_lora_rank, plus one RoPE key of width rope_head_dim shared by all heads."""
    d, h = c["d_model"], c["n_heads"]
    if c["attention"] == "mla":
        q_width = h * (c["d_head"] + c["rope_head_dim"])
        q = d * c["q_lora_rank"] + c["q_lora_rank"] * q_width if c["q_lora_rank"] else d * q_width
        kv = d * (c["kv_lora_rank"] + c["rope_head_dim"]) + c["kv_lora_rank"] * h * (c["d_head"] + c["v_head_dim"])
        return q + kv + h * c["v_head_dim"] * d
    q_width, kv_width = h * c["d_head"], c["n_kv_heads"] * c["d_head"]
    bias = c["bias"]
    return linear(d, q_width, bias) + 2 * linear(d, kv_width, bias) + linear(q_width, d, bias)


def ffn_params(c, hidden, bias=False):
    """One FFN of the given hidden width: two matrices (GELU) or three (SwiGLU)."""
    d = c["d_model"]
    if c["ffn"] == "swiglu":
        return 2 * linear(d, hidden, bias) + linear(hidden, d, bias)
    return linear(d, hidden, bias) + linear(hidden, d, bias)


def moe_layers(c):
    """Layers whose FFN is a mixture of experts."""
    return c["n_layers"] - c["dense_layers"] if c["n_experts"] else 0


def param_breakdown(c):
    """Parameters by part. Norms: LayerNorm has a weight and a bias, RMSNorm a weight; two per layer,
    MLA adds one after each of its two latents. Returns {part: count}."""
    d, L = c["d_model"], c["n_layers"]
    norm = 2 * d if c["norm"] == "layernorm" else d
    latent_norms = c["q_lora_rank"] + c["kv_lora_rank"] if c["attention"] == "mla" else 0
    n_moe = moe_layers(c)
    expert = ffn_params(c, c["expert_d_ff"])
    return {
        "embeddings": (c["vocab"] + c["positions"] + c["segments"]) * d,
        "attention": L * attention_params(c),
        "ffn": (L - n_moe) * ffn_params(c, c["d_ff"], c["bias"]) + n_moe * c["n_shared_experts"] * expert,
        "experts": n_moe * c["n_experts"] * expert,
        "router": n_moe * c["n_experts"] * d,
        "norms": L * (2 * norm + latent_norms) + (norm if c["embed_norm"] else 0) + (norm if c["final_norm"] else 0),
        "output": c["vocab"] * d if c["lm_head"] and not c["tied"] else 0,
        "pooler": linear(d, d, True) if c["pooler"] else 0,
    }


def idle_expert_params(c):
    """Routed-expert parameters a token does not use: n_experts - top_k experts in every MoE layer."""
    return moe_layers(c) * (c["n_experts"] - c["top_k"]) * ffn_params(c, c["expert_d_ff"])


def matmul_params(c):
    """Weights multiplied with every token, for the FLOPs: the attention projections, the dense FFNs,
    the router, top_k + shared experts in each MoE layer, the output layer (tied or not). Not the
    embedding lookups, norms, biases, nor BERT's pooler (it sees one token per sequence)."""
    d, L = c["d_model"], c["n_layers"]
    unbiased = dict(c, bias=False)
    n_moe = moe_layers(c)
    used_experts = c["top_k"] + c["n_shared_experts"]
    return (
        L * attention_params(unbiased)
        + (L - n_moe) * ffn_params(c, c["d_ff"])
        + n_moe * (c["n_experts"] * d + used_experts * ffn_params(c, c["expert_d_ff"]))
        + (c["vocab"] * d if c["lm_head"] else 0)
    )


def attention_width(c):
    """d_attn of scaling.forward_flops: the mean width of the two attention products Q K^T and A V
    over all heads (n_heads x d_head for MHA/GQA/MQA). MLA in training decompresses per-head keys
    (d_head + rope_head_dim wide) and values (v_head_dim wide)."""
    h = c["n_heads"]
    if c["attention"] == "mla":
        return h * (c["d_head"] + c["rope_head_dim"] + c["v_head_dim"]) / 2
    return h * c["d_head"]


def decode_attention_width(c):
    """d_attn of scaling.decode_flops. MLA decodes from its cache with absorbed weights: each head
    scores the latent (kv_lora_rank) plus the RoPE key, and sums latents (kv_lora_rank)."""
    if c["attention"] == "mla":
        return c["n_heads"] * (2 * c["kv_lora_rank"] + c["rope_head_dim"]) / 2
    return attention_width(c)


# --8<-- [end:structure]
