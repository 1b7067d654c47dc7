"""Checks snippets/masking.py: budget, 80/10/10 split, whole-word invariant, static vs dynamic."""

import math
import random

import masking as m

VOCAB = sorted(set(m.CHARS))
GROUPS = m.word_groups(m.WORDS)


def test_word_groups_cover_chars():
    assert [i for g in GROUPS for i in g] == list(range(len(m.CHARS)))
    assert "".join(m.CHARS[i] for i in GROUPS[0]) == "哈利波特"


def test_token_level_rate_and_split():
    rng, n_trials = random.Random(1), 20_000
    n = len(m.CHARS)
    per_pos = [0] * n
    acts = {"mask": 0, "random": 0, "keep": 0}
    for _ in range(n_trials):
        out, labels, actions = m.bert_mask(m.CHARS, rng, VOCAB)
        for i, lab in enumerate(labels):
            if lab is None:
                assert out[i] == m.CHARS[i] and actions[i] is None  # untouched, no loss
            else:
                per_pos[i] += 1
                acts[actions[i]] += 1
                if actions[i] == "mask":
                    assert out[i] == m.MASK
                if actions[i] == "keep":
                    assert out[i] == m.CHARS[i]
    chosen = sum(acts.values())
    assert chosen == n_trials * round(0.15 * n)
    # every position is equally likely to be chosen (prob 0.15): 5-sigma binomial band
    sd = math.sqrt(0.15 * 0.85 / n_trials)
    assert all(abs(c / n_trials - 0.15) < 5 * sd for c in per_pos)
    for k, p in (("mask", 0.8), ("random", 0.1), ("keep", 0.1)):
        assert abs(acts[k] / chosen - p) < 5 * math.sqrt(p * (1 - p) / chosen)


def test_whole_word_masking_never_splits_a_word():
    rng = random.Random(2)
    ratios = []
    for _ in range(5_000):
        _, labels, _ = m.bert_mask(m.CHARS, rng, VOCAB, groups=GROUPS)
        assert m.is_whole_word(labels, GROUPS)
        ratios.append(sum(lab is not None for lab in labels) / len(m.CHARS))
    assert abs(sum(ratios) / len(ratios) - 0.15) < 0.01


def test_token_level_does_split_words():
    # independent check that the invariant is not trivially true
    rng = random.Random(3)
    assert any(not m.is_whole_word(m.bert_mask(m.CHARS, rng, VOCAB)[1], GROUPS) for _ in range(200))


def test_static_vs_dynamic():
    s = m.static_masking(m.CHARS, VOCAB, epochs=40, dupe_factor=10)
    d = m.dynamic_masking(m.CHARS, VOCAB, epochs=40)
    assert m.distinct_patterns(s) <= 10
    assert m.distinct_patterns(d) > m.distinct_patterns(s)
    # each static copy is seen exactly epochs / dupe_factor = 4 times
    assert all(s[e] is s[e % 10] for e in range(40))


def test_rates_match_transformers_collator(tmp_path):
    """Compare with transformers.DataCollatorForLanguageModeling (per-token Bernoulli(0.15))."""
    import torch
    from transformers import BertTokenizer, DataCollatorForLanguageModeling

    vocab_file = tmp_path / "vocab.txt"
    vocab_file.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + VOCAB) + "\n", encoding="utf-8")
    tok = BertTokenizer(str(vocab_file))
    ids = tok.convert_tokens_to_ids(m.CHARS)
    torch.manual_seed(0)
    coll = DataCollatorForLanguageModeling(tok, mlm_probability=0.15)
    batch = coll([{"input_ids": ids} for _ in range(2_000)])
    chosen = batch["labels"] != -100
    rate = chosen.float().mean().item()
    mask_share = (batch["input_ids"][chosen] == tok.mask_token_id).float().mean().item()
    assert abs(rate - 0.15) < 0.01
    assert abs(mask_share - 0.8) < 0.02
