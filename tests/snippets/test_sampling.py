import itertools

import numpy as np
import pytest
import torch
from scipy.stats import chisquare
from transformers import (
    LogitsProcessorList,
    MinPLogitsWarper,
    RepetitionPenaltyLogitsProcessor,
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
)

import sampling as S


def _logits(seed, batch=8, vocab=500, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(batch, vocab, generator=g, dtype=dtype) * 3


@pytest.mark.parametrize("seed", range(5))
def test_warpers_match_transformers(seed):
    x = _logits(seed)
    ids = torch.randint(0, 500, (8, 12))
    assert torch.equal(S.apply_temperature(x, 0.7), TemperatureLogitsWarper(0.7)(ids, x))
    for k in [1, 5, 50]:
        assert torch.equal(S.top_k_filter(x, k), TopKLogitsWarper(k)(ids, x))
    for p in [0.1, 0.5, 0.9, 0.99]:
        assert torch.equal(S.top_p_filter(x, p), TopPLogitsWarper(p)(ids, x))
    for m in [0.01, 0.1, 0.3]:
        assert torch.equal(S.min_p_filter(x, m), MinPLogitsWarper(m)(ids, x))


def test_top_p_keeps_smallest_set_reaching_p():
    # independent check against the definition on explicit probabilities
    probs = torch.tensor([[0.5, 0.2, 0.15, 0.1, 0.05]], dtype=torch.float64)
    kept = torch.isfinite(S.top_p_filter(probs.log(), 0.8))[0].tolist()
    assert kept == [True, True, True, False, False]  # 0.5 + 0.2 < 0.8 <= 0.85
    kept = torch.isfinite(S.top_p_filter(probs.log(), 0.45))[0].tolist()
    assert kept == [True, False, False, False, False]  # the top token alone already reaches 0.45


@pytest.mark.parametrize("theta", [1.2, 0.8])
def test_repetition_penalty_matches_transformers(theta):
    x = _logits(1)
    ids = torch.randint(0, 500, (8, 30))  # repeated ids are penalised once
    ref = RepetitionPenaltyLogitsProcessor(theta)(ids, x.clone())
    assert torch.equal(S.repetition_penalty(x, ids, theta), ref)


def test_frequency_presence_against_plain_loop():
    x = _logits(2, batch=3, vocab=20)
    gen = torch.randint(0, 20, (3, 15))
    out = S.frequency_presence_penalty(x, gen, 0.5, 0.3)
    for b in range(3):
        for j in range(20):
            c = sum(int(t) == j for t in gen[b])
            expected = x[b, j] - c * 0.5 - float(c > 0) * 0.3
            assert abs(out[b, j].item() - expected.item()) < 1e-12


def test_processor_pipeline_order_matches_transformers():
    x = _logits(3)
    ids = torch.randint(0, 500, (8, 20))
    ref = LogitsProcessorList(
        [
            RepetitionPenaltyLogitsProcessor(1.3),
            TemperatureLogitsWarper(0.8),
            TopKLogitsWarper(40),
            TopPLogitsWarper(0.9),
        ]
    )(ids, x.clone())
    ours = S.top_p_filter(S.top_k_filter(S.apply_temperature(S.repetition_penalty(x, ids, 1.3), 0.8), 40), 0.9)
    assert torch.equal(ours, ref)


def test_speculative_token_distribution_equals_target():
    rng = np.random.default_rng(0)
    p = np.array([0.5, 0.3, 0.15, 0.05])
    q = np.array([0.1, 0.2, 0.3, 0.4])
    x, acc = S.speculative_token(p, q, rng, 400_000)
    freq = np.bincount(x, minlength=4) / len(x)
    assert np.abs(freq - p).max() < 0.005
    assert abs(acc - np.minimum(p, q).sum()) < 0.005  # Theorem 3.5: beta = sum min(p, q)


def test_speculative_decode_sequence_distribution():
    rng = np.random.default_rng(1)
    V = 3
    P = np.array([[0.6, 0.3, 0.1], [0.2, 0.2, 0.6], [0.3, 0.5, 0.2]])  # target bigram
    Q = np.array([[0.3, 0.3, 0.4], [0.5, 0.3, 0.2], [0.1, 0.1, 0.8]])  # draft bigram

    def p_next(ctx):
        return P[ctx[-1]]

    def q_next(ctx):
        return Q[ctx[-1]]

    counts = {}
    n = 20_000
    for _ in range(n):
        seq, _ = S.speculative_decode(p_next, q_next, (0,), gamma=3, length=3, rng=rng)
        counts[seq] = counts.get(seq, 0) + 1
    seqs = list(itertools.product(range(V), repeat=3))
    observed = np.array([counts.get(seq, 0) for seq in seqs])
    exact = np.array([P[0, s[0]] * P[s[0], s[1]] * P[s[1], s[2]] for s in seqs])
    assert abs(exact.sum() - 1) < 1e-12
    assert chisquare(observed, n * exact).pvalue > 0.01
    draft = np.array([Q[0, s[0]] * Q[s[0], s[1]] * Q[s[1], s[2]] for s in seqs])
    assert chisquare(observed, n * draft).pvalue < 1e-50  # the draft alone is clearly different


@pytest.mark.parametrize("gamma", [1, 3, 6])
def test_expected_tokens_formula_by_simulation(gamma):
    rng = np.random.default_rng(gamma)
    p = np.array([0.4, 0.3, 0.2, 0.1])
    q = np.array([0.25, 0.25, 0.25, 0.25])
    alpha = np.minimum(p, q).sum()
    sim = S.tokens_per_step_simulated(p, q, gamma, 200_000, rng)
    assert abs(sim - S.expected_tokens_per_step(alpha, gamma)) < 0.01
    # closed form equals the geometric series 1 + alpha + ... + alpha^gamma
    assert abs(S.expected_tokens_per_step(alpha, gamma) - sum(alpha**i for i in range(gamma + 1))) < 1e-12
