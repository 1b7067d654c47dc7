"""Parameter counts of GPT-1 / GPT-2 / GPT-3 from their published configurations.

Used by docs/plm/gpt.md.
"""

# --8<-- [start:configs]
# Published configurations (n_ctx = context length, vocab = vocabulary size).
# GPT-1: 12 layers, d=768, 12 heads, 40,000 BPE merges (40,478 entries in the
#        released vocabulary), 512 positions, post-LN, no final LayerNorm.
# GPT-2: byte-level BPE with 50,257 entries, 1,024 positions, pre-LN + final LN.
# GPT-3: same tokenizer as GPT-2, 2,048 positions; 175B = 96 layers, d=12288, 96 heads.
GPT_CONFIGS = {
    "GPT-1": dict(n_layer=12, d_model=768, n_head=12, vocab=40478, n_ctx=512, final_ln=False),
    "GPT-2 small": dict(n_layer=12, d_model=768, n_head=12, vocab=50257, n_ctx=1024, final_ln=True),
    "GPT-2 medium": dict(n_layer=24, d_model=1024, n_head=16, vocab=50257, n_ctx=1024, final_ln=True),
    "GPT-2 large": dict(n_layer=36, d_model=1280, n_head=20, vocab=50257, n_ctx=1024, final_ln=True),
    "GPT-2 XL": dict(n_layer=48, d_model=1600, n_head=25, vocab=50257, n_ctx=1024, final_ln=True),
    "GPT-3 175B": dict(n_layer=96, d_model=12288, n_head=96, vocab=50257, n_ctx=2048, final_ln=True),
}
# --8<-- [end:configs]


# --8<-- [start:count]
def gpt_param_count(n_layer, d_model, vocab, n_ctx, final_ln=True, **_):
    """Exact count for a GPT block with d_ff = 4 d, biases everywhere, tied output head."""
    d = d_model
    attn = (d * 3 * d + 3 * d) + (d * d + d)  # fused Q,K,V projection + output projection
    ffn = (d * 4 * d + 4 * d) + (4 * d * d + d)  # d -> 4d -> d
    norms = 2 * (2 * d)  # two LayerNorms (gain + bias)
    per_layer = attn + ffn + norms  # = 12 d^2 + 13 d
    embeddings = vocab * d + n_ctx * d  # token + learned position embeddings
    final = 2 * d if final_ln else 0
    return {
        "per_layer": per_layer,
        "layers": n_layer * per_layer,
        "embeddings": embeddings,
        "total": n_layer * per_layer + embeddings + final,
    }


def approx_12_L_d2(n_layer, d_model, **_):
    """The usual back-of-the-envelope estimate: 12 * L * d^2 (no embeddings, no biases)."""
    return 12 * n_layer * d_model**2


# --8<-- [end:count]
