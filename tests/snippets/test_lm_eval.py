import math

import numpy as np
import pytest
import sacrebleu
import torch
from rouge_score import rouge_scorer
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
from transformers import LlamaConfig, LlamaForCausalLM

import lm_eval as E

HYPS = ["the cat is on the mat", "there is a cat on the mat today", "a dog sat", "mat the on sat cat the"]
REFS = ["the cat sat on the mat", "there is a cat on the mat", "the dog sat on the rug", "the cat sat on the mat"]


def tiny_llama(seed=0):
    torch.manual_seed(seed)
    cfg = LlamaConfig(
        vocab_size=97,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=64,
    )
    return LlamaForCausalLM(cfg).eval()


def test_perplexity_equals_exp_of_transformers_loss():
    model = tiny_llama()
    ids = torch.randint(0, 97, (3, 20))
    with torch.no_grad():
        out = model(ids, labels=ids)
    lp = E.token_logprobs(out.logits, ids)
    assert abs(E.perplexity(lp) - math.exp(out.loss.item())) < 1e-4 * math.exp(out.loss.item())


def test_perplexity_with_padding_matches_ignore_index():
    model = tiny_llama(1)
    ids = torch.randint(0, 97, (2, 16))
    mask = torch.ones_like(ids)
    mask[1, 10:] = 0  # right padding of the second sequence
    labels = ids.masked_fill(mask == 0, -100)
    with torch.no_grad():
        out = model(ids, attention_mask=mask, labels=labels)
    lp = E.token_logprobs(out.logits, ids)
    counted = mask[:, 1:].bool()
    assert abs(E.perplexity(lp, counted) - math.exp(out.loss.item())) < 1e-4 * math.exp(out.loss.item())


def test_ppl_bpb_identity():
    lps = [-1.0, -2.5, -0.3, -4.0]
    ppl, bpb = E.ppl_and_bpb(lps, n_bytes=10)
    assert abs(math.log2(ppl) * len(lps) / 10 - bpb) < 1e-12


def test_bigram_lm_is_a_distribution():
    lm = E.BigramLM([[0, 1, 2, 1], [2, 2, 0]], vocab_size=3, k=0.5)
    for prev in (-1, 0, 1, 2):
        assert abs(sum(math.exp(lm.logprob(prev, t)) for t in range(3)) - 1) < 1e-12


@pytest.mark.parametrize("n,c,k", [(10, 3, 1), (20, 5, 5), (50, 1, 10), (200, 37, 100), (5, 5, 3), (10, 0, 2)])
def test_pass_at_k_stable_form_equals_binomial_formula(n, c, k):
    assert abs(E.pass_at_k(n, c, k) - E.pass_at_k_comb(n, c, k)) < 1e-12


def test_pass_at_k_is_unbiased_and_plugin_is_not():
    from scipy.stats import binom

    n, k, p = 20, 5, 0.15
    truth = 1 - (1 - p) ** k
    cs = np.arange(n + 1)
    pmf = binom.pmf(cs, n, p)
    assert abs(sum(pmf * [E.pass_at_k(n, c, k) for c in cs]) - truth) < 1e-12
    assert sum(pmf * [E.pass_at_k_plugin(n, c, k) for c in cs]) < truth - 0.01


def test_bleu_matches_sacrebleu_sentence_and_corpus():
    for h, r in zip(HYPS, REFS):
        assert Tokenizer13a()(h) == h  # whitespace == 13a here
        ref = sacrebleu.sentence_bleu(h, [r]).score
        assert abs(E.sentence_bleu(h.split(), r.split()) - ref) < 1e-9
    ours = E.corpus_bleu([h.split() for h in HYPS], [r.split() for r in REFS])
    assert abs(ours - sacrebleu.corpus_bleu(HYPS, [REFS]).score) < 1e-9


def test_bleu_zh_tokenizer_is_character_level():
    hyp, ref = "今天天气很好我们去公园散步", "今天天气不错我们去公园走走"
    ours = E.sentence_bleu(list(hyp), list(ref))
    assert abs(ours - sacrebleu.sentence_bleu(hyp, [ref], tokenize="zh").score) < 1e-9


def test_rouge_matches_rouge_score():
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"])
    for h, r in zip(HYPS, REFS):
        s = scorer.score(r, h)  # rouge-score takes (target, prediction)
        for ours, key in [
            (E.rouge_n(h.split(), r.split(), 1), "rouge1"),
            (E.rouge_n(h.split(), r.split(), 2), "rouge2"),
        ]:
            assert np.allclose(ours, (s[key].precision, s[key].recall, s[key].fmeasure))
        assert np.allclose(E.rouge_l(h.split(), r.split()), tuple(s["rougeL"]))


def test_lcs_small_cases():
    assert E.lcs_length("ABCBDAB", "BDCABA") == 4
    assert E.lcs_length("", "abc") == 0


def test_contamination_check():
    train = ["Lorem ipsum. The quick brown fox jumps over the lazy dog near the river bank every single morning."]
    idx = E.NgramIndex(train)
    assert E.is_dirty("the quick brown fox jumps over the lazy dog near the river bank every day?", idx)
    assert not E.is_dirty("a fast brown fox leaps over a sleepy dog near the river bank every day", idx)
    assert E.is_dirty("over the lazy dog", idx)  # shorter than 13 words: compared whole
    assert not E.is_dirty("over the lazy cat", idx)


def test_min_k_prob():
    lps = [-0.1, -5.0, -0.2, -3.0, -0.3, -0.1, -0.2, -0.4, -0.5, -0.6]
    assert E.min_k_prob(lps, 0.2) == (-5.0 - 3.0) / 2
