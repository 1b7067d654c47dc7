import math
import random

import pytest

from beam_search import EOS, beam_search, exhaustive_best, greedy_search, toy_logprobs


def test_toy_example_beam_beats_greedy():
    g_seq, g_score = greedy_search(toy_logprobs)
    b_seq, b_score = beam_search(toy_logprobs, beam_size=2)
    assert g_seq == ["A", "x", EOS] and b_seq == ["B", "x", EOS]
    assert g_score == pytest.approx(math.log(0.6 * 0.35))
    assert b_score == pytest.approx(math.log(0.4 * 0.95))
    assert b_score > g_score


def _random_model(seed, vocab=("a", "b", "c"), depth=3):
    rng = random.Random(seed)
    table = {}

    def f(prefix):
        key = tuple(prefix)
        if len(key) >= depth:
            return {EOS: 0.0}
        if key not in table:
            toks = list(vocab) + [EOS]
            w = [rng.random() for _ in toks]
            table[key] = {t: math.log(x / sum(w)) for t, x in zip(toks, w)}
        return table[key]

    return f


@pytest.mark.parametrize("seed", range(20))
def test_beam_1_is_greedy_and_wide_beam_is_exact(seed):
    f = _random_model(seed)
    g = greedy_search(f)
    b1 = beam_search(f, beam_size=1)
    assert b1[0] == g[0] and b1[1] == pytest.approx(g[1])
    best = exhaustive_best(f)
    wide = beam_search(f, beam_size=4**4)
    assert wide[1] == pytest.approx(best[1])


@pytest.mark.parametrize("seed", range(20))
def test_beam_never_beats_exact_optimum(seed):
    f = _random_model(seed)
    best = exhaustive_best(f)[1]
    for k in (1, 2, 3):
        assert beam_search(f, beam_size=k)[1] <= best + 1e-12


def test_beam_can_lose_to_greedy():
    # beam search is not monotone: with k = 2 the greedy path is pruned after two steps
    table = {(): {"A": 0.55, "B": 0.45}, ("A",): {t: 0.2 for t in "vwxyz"}, ("B",): {"x": 0.6, "y": 0.4}}

    def f(prefix):
        key = tuple(prefix)
        if key in table:
            return {t: math.log(p) for t, p in table[key].items()}
        if len(key) == 2 and key[0] == "B":
            return {t: math.log(0.1) for t in "abcdefghij"}
        return {EOS: 0.0}

    g_seq, g_score = greedy_search(f)
    b_seq, b_score = beam_search(f, beam_size=2)
    assert g_seq[0] == "A" and b_seq[0] == "B"
    assert b_score < g_score
    assert exhaustive_best(f)[1] == pytest.approx(g_score)  # here greedy is even optimal
