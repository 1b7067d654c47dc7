"""Parameter counts of BERT (and ALBERT's factorised embedding), by component.

Included by docs/plm/bert.md and docs/plm/bert-family.md; tested in
tests/snippets/test_bert_params.py against transformers models built from configs.
"""


# --8<-- [start:formula]
def bert_param_breakdown(V=30522, H=768, L=12, I=3072, P=512, S=2, pooler=True):
    """Count BertModel parameters component by component (weights + biases + LayerNorm)."""
    linear = lambda n_in, n_out: n_in * n_out + n_out  # weight + bias
    layer_norm = 2 * H  # gamma + beta
    emb = {
        "word": V * H,  # token (WordPiece) embeddings
        "position": P * H,  # learned absolute position embeddings
        "segment": S * H,  # token_type (segment A/B) embeddings
        "emb_layernorm": layer_norm,
    }
    per_layer = {
        "attn_qkvo": 4 * linear(H, H),  # W_Q, W_K, W_V, W_O (+ biases)
        "attn_layernorm": layer_norm,
        "ffn": linear(H, I) + linear(I, H),  # H->I (GELU) ->H
        "ffn_layernorm": layer_norm,
    }
    parts = {**{f"emb.{k}": v for k, v in emb.items()}, **{f"layers.{k}": L * v for k, v in per_layer.items()}}
    if pooler:
        parts["pooler"] = linear(H, H)  # dense + tanh on [CLS]
    return {
        "parts": parts,
        "embeddings": sum(emb.values()),
        "per_layer": sum(per_layer.values()),
        "pooler": parts.get("pooler", 0),
        "total": sum(parts.values()),
    }


# --8<-- [end:formula]


# --8<-- [start:shares]
def shares(b):
    """Share of the total held by FFNs, attention projections and word embeddings."""
    t = b["total"]
    return {
        "ffn": b["parts"]["layers.ffn"] / t,
        "attn_proj": b["parts"]["layers.attn_qkvo"] / t,
        "word_emb": b["parts"]["emb.word"] / t,
        "everything_else": 1 - (b["parts"]["layers.ffn"] + b["parts"]["layers.attn_qkvo"] + b["parts"]["emb.word"]) / t,
    }


# --8<-- [end:shares]


# --8<-- [start:hf_count]
def hf_bert_count(**cfg):
    """Count parameters of transformers.BertModel built from a config (no download).

    Built on the 'meta' device: shapes only, no memory, no random init -> milliseconds.
    """
    import torch
    from transformers import BertConfig, BertModel

    with torch.device("meta"):
        model = BertModel(BertConfig(**cfg))
    return sum(p.numel() for p in model.parameters())


# --8<-- [end:hf_count]


# --8<-- [start:quoted_line]
# A per-part formula for BERT-base that circulates online; evaluate it term by term.
H, I, V = 768, 3072, 30522
quoted_emb = 30522 * 768 + 512 * 768 + 4 * 768  # 4*768 = segment(2*768) + LayerNorm(2*768)
quoted_layer = (
    (768 * 768 + 768) * 4  # Q, K, V, O with biases
    + 768 * 2  # LayerNorm after attention
    + (3072 * 768 * 2 + 3072)  # two FFN weights + first FFN bias
    + 768 * 3
)  # second FFN bias (768) + LayerNorm (2*768)
quoted_pooler = 768 * 768 + 768
quoted_total = quoted_emb + 12 * quoted_layer + quoted_pooler
# --8<-- [end:quoted_line]


# --8<-- [start:albert_embedding]
def embedding_params(V, H, E=None):
    """Token-embedding weights: BERT's V x H table, or ALBERT's V x E table + E x H projection.

    Counts weight matrices only, as in the paper's O(V*H) -> O(V*E + E*H); an implementation's
    projection Linear layer adds an H-dimensional bias on top.
    """
    if E is None:
        return V * H
    return V * E + E * H


# --8<-- [end:albert_embedding]
