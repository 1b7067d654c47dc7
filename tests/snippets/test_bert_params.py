"""Checks snippets/bert_params.py against transformers models built from configs (no download)."""

import torch
from transformers import AlbertConfig, AlbertModel, BertConfig, BertForPreTraining, BertModel

import bert_params as bp

BASE = dict(vocab_size=30522, hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072)
LARGE = dict(vocab_size=30522, hidden_size=1024, num_hidden_layers=24, num_attention_heads=16, intermediate_size=4096)
CHINESE = dict(BASE, vocab_size=21128)


def _meta(cls, cfg_cls, **cfg):
    with torch.device("meta"):
        return cls(cfg_cls(**cfg))


def _formula(cfg):
    return bp.bert_param_breakdown(
        V=cfg["vocab_size"], H=cfg["hidden_size"], L=cfg["num_hidden_layers"], I=cfg["intermediate_size"]
    )


def test_totals_match_transformers_bertmodel():
    for cfg in (BASE, LARGE, CHINESE):
        model = _meta(BertModel, BertConfig, **cfg)
        assert _formula(cfg)["total"] == sum(p.numel() for p in model.parameters())


def test_components_match_transformers_submodules():
    model = _meta(BertModel, BertConfig, **BASE)
    b = _formula(BASE)
    count = lambda m: sum(p.numel() for p in m.parameters())
    assert b["embeddings"] == count(model.embeddings)
    assert b["per_layer"] == count(model.encoder.layer[0])
    assert b["pooler"] == count(model.pooler)
    layer = model.encoder.layer[0]
    assert b["parts"]["layers.ffn"] // 12 == count(layer.intermediate.dense) + count(layer.output.dense)
    assert b["parts"]["layers.attn_qkvo"] // 12 == (count(layer.attention.self) + count(layer.attention.output.dense))


def test_hf_helper_and_known_totals():
    # the reference totals from /work/shared/guide/facts.md
    assert bp.hf_bert_count(**BASE) == 109_482_240
    assert bp.hf_bert_count(**CHINESE) == 102_267_648
    assert bp.hf_bert_count(**LARGE) == 335_141_888


def test_shares_and_qkt_has_no_parameters():
    s = bp.shares(_formula(BASE))
    assert abs(s["ffn"] - 0.518) < 5e-4
    assert abs(s["attn_proj"] - 0.259) < 5e-4
    assert abs(s["word_emb"] - 0.214) < 5e-4
    assert s["ffn"] > s["attn_proj"] > 0
    # the self-attention module's parameters are exactly the Q/K/V Linear layers: QK^T adds none
    model = _meta(BertModel, BertConfig, **BASE)
    names = [n for n, _ in model.encoder.layer[0].attention.self.named_parameters()]
    assert sorted(names) == sorted(f"{m}.{t}" for m in ("query", "key", "value") for t in ("weight", "bias"))


def test_quoted_line_is_right():
    assert bp.quoted_total == bp.hf_bert_count(**BASE)
    assert bp.quoted_layer == _formula(BASE)["per_layer"]


def test_pretraining_heads_are_extra():
    # BertForPreTraining adds MLM transform (dense + LN), MLM output bias (decoder weight tied to
    # the word embeddings) and the NSP classifier on top of BertModel.
    H, V = 768, 30522
    model = _meta(BertForPreTraining, BertConfig, **BASE)
    extra = (H * H + H) + 2 * H + V + (H * 2 + 2)
    assert sum(p.numel() for p in model.parameters()) == bp.hf_bert_count(**BASE) + extra


def test_albert_factorised_embedding():
    V, H, E = 30000, 768, 128
    assert bp.embedding_params(V, H) == 23_040_000
    assert bp.embedding_params(V, H, E) == 3_938_304
    model = _meta(
        AlbertModel,
        AlbertConfig,
        vocab_size=V,
        hidden_size=H,
        embedding_size=E,
        num_attention_heads=12,
        intermediate_size=3072,
    )
    hf = model.embeddings.word_embeddings.weight.numel() + model.encoder.embedding_hidden_mapping_in.weight.numel()
    assert hf == bp.embedding_params(V, H, E)
