"""Gradient clipping by global norm, MinHash / LSH deduplication and heuristic quality filters,
for docs/llm/training-stability.md."""

import hashlib
import re
import struct

import torch


# --8<-- [start:clip]
import torch


def clip_by_global_norm(params, max_norm, eps=1e-6):
    """Scale ALL gradients by the same factor so that their joint L2 norm is at most max_norm.
    The direction of the full gradient vector is unchanged. Returns the norm before clipping."""
    grads = [p.grad for p in params if p.grad is not None]
    total = torch.sqrt(sum((g.detach().double() ** 2).sum() for g in grads))
    coef = min(1.0, max_norm / (total.item() + eps))  # torch uses the same eps
    for g in grads:
        g.mul_(coef)
    return total


# --8<-- [end:clip]


# --8<-- [start:minhash]
import hashlib
import re
import struct

MERSENNE = (1 << 61) - 1
MASK32 = (1 << 32) - 1


def shingles(text, n=3):
    """The set of word n-grams of a document (lower-cased, punctuation dropped)."""
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def jaccard(a, b):
    return len(a & b) / len(a | b)


def sha1_32(s):
    """32-bit hash of a shingle: the first 4 bytes of its SHA-1, little-endian."""
    return struct.unpack("<I", hashlib.sha1(s.encode("utf-8")).digest()[:4])[0]


def minhash_signature(items, a, b):
    """For each random hash function h_k(x) = (a_k x + b_k) mod p, keep the minimum over the set.
    P[min h_k(A) == min h_k(B)] = Jaccard(A, B), so the fraction of equal slots estimates it.
    (The mod 2^64 reproduces the unsigned 64-bit wraparound of datasketch's 'legacy' scheme.)"""
    hashes = [sha1_32(x) for x in items]
    return [min((((ak * h + bk) & ((1 << 64) - 1)) % MERSENNE) & MASK32 for h in hashes) for ak, bk in zip(a, b)]


def estimate_jaccard(sig_a, sig_b):
    return sum(x == y for x, y in zip(sig_a, sig_b)) / len(sig_a)


def lsh_candidate_probability(s, bands, rows):
    """Banding: the signature is cut into `bands` bands of `rows` slots; a pair becomes a
    candidate if ALL rows of at least one band agree: 1 - (1 - s^r)^b."""
    return 1 - (1 - s**rows) ** bands


# --8<-- [end:minhash]


# --8<-- [start:gopher]
import re

STOP_WORDS = {"the", "be", "to", "of", "and", "that", "have", "with"}


def gopher_quality_ok(text):
    """A subset of the heuristic filters of Gopher (Rae et al. 2021, Appendix A): returns the
    list of rules the document fails (empty list = keep)."""
    words = text.split()
    lines = [ln for ln in text.splitlines() if ln.strip()]
    failed = []
    if not 50 <= len(words) <= 100_000:
        failed.append("word count outside 50..100000")
    if words and not 3 <= sum(len(w) for w in words) / len(words) <= 10:
        failed.append("mean word length outside 3..10")
    # "symbol-to-word ratio greater than 0.1 for either the hash symbol or the ellipsis": two ratios
    if words and text.count("#") / len(words) > 0.1:
        failed.append("hash-to-word ratio > 0.1")
    if words and (text.count("...") + text.count("…")) / len(words) > 0.1:
        failed.append("ellipsis-to-word ratio > 0.1")
    if lines and sum(ln.lstrip().startswith(("•", "-", "*")) for ln in lines) / len(lines) > 0.9:
        failed.append("more than 90% of lines start with a bullet")
    if lines and sum(ln.rstrip().endswith(("...", "…")) for ln in lines) / len(lines) > 0.3:
        failed.append("more than 30% of lines end with an ellipsis")
    if words and sum(bool(re.search(r"[^\W\d_]", w)) for w in words) / len(words) < 0.8:
        failed.append("fewer than 80% of words contain a letter")
    if len(STOP_WORDS & {w.lower().strip(".,;:!?") for w in words}) < 2:
        failed.append("fewer than 2 English stop words")
    return failed


# --8<-- [end:gopher]
