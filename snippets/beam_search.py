"""Greedy search and beam search over a next-token log-probability function.

`step_logprobs(prefix)` returns a dict {token: log p(token | prefix)}.
Used by docs/transformer/architecture.md; tested by tests/snippets/test_beam_search.py.
"""

import math

# --8<-- [start:toy_model]
import math

# A toy "language model" given as a table of conditional probabilities.
# Greedy takes "A" first (0.6 > 0.4), but every continuation of "A" is unsure,
# while "B" is followed almost surely by "x".
TOY_TABLE = {
    (): {"A": 0.6, "B": 0.4},
    ("A",): {"x": 0.35, "y": 0.35, "z": 0.30},
    ("B",): {"x": 0.95, "y": 0.03, "z": 0.02},
}
EOS = "</s>"


def toy_logprobs(prefix):
    prefix = tuple(prefix)
    if prefix in TOY_TABLE:
        return {t: math.log(p) for t, p in TOY_TABLE[prefix].items()}
    return {EOS: 0.0}  # after two tokens the toy model always stops


# --8<-- [end:toy_model]


# --8<-- [start:greedy]
def greedy_search(step_logprobs, max_len=10, eos=EOS):
    seq, score = [], 0.0
    for _ in range(max_len):
        tok, lp = max(step_logprobs(seq).items(), key=lambda kv: kv[1])
        seq.append(tok)
        score += lp
        if tok == eos:
            break
    return seq, score


# --8<-- [end:greedy]


# --8<-- [start:beam]
def beam_search(step_logprobs, beam_size=2, max_len=10, eos=EOS, alpha=0.0):
    """Keep the `beam_size` best partial hypotheses by total log-probability.

    Finished hypotheses (ending in eos) are set aside; the result is the best
    finished one after length normalisation score / len**alpha (alpha=0: none).
    """
    beams = [([], 0.0)]  # (tokens, sum of log-probs)
    finished = []
    for _ in range(max_len):
        candidates = []
        for seq, score in beams:
            for tok, lp in step_logprobs(seq).items():
                candidates.append((seq + [tok], score + lp))
        candidates.sort(key=lambda c: c[1], reverse=True)
        beams = []
        for seq, score in candidates:
            (finished if seq[-1] == eos else beams).append((seq, score))
            if len(beams) == beam_size:
                break
        if not beams:
            break
    finished = finished or beams
    return max(finished, key=lambda c: c[1] / (len(c[0]) ** alpha))


# --8<-- [end:beam]


def exhaustive_best(step_logprobs, max_len=10, eos=EOS):
    """Exact argmax over all sequences (only feasible for toy models)."""
    best = None
    stack = [([], 0.0)]
    while stack:
        seq, score = stack.pop()
        if (seq and seq[-1] == eos) or len(seq) == max_len:
            if best is None or score > best[1]:
                best = (seq, score)
            continue
        for tok, lp in step_logprobs(seq).items():
            stack.append((seq + [tok], score + lp))
    return best
