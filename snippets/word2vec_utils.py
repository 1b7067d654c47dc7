"""Small word2vec helpers: one-hot similarity, the negative-sampling noise
distribution, and Huffman code lengths for hierarchical softmax.

Used by docs/nlp/basics.md; tested by tests/snippets/test_word2vec_utils.py.
"""

import heapq

import numpy as np

# --8<-- [start:onehot]
import numpy as np


def one_hot(index, vocab_size):
    v = np.zeros(vocab_size)
    v[index] = 1.0
    return v


def cosine(u, v):
    return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))


# --8<-- [end:onehot]


# --8<-- [start:noise_dist]
import numpy as np


def noise_distribution(counts, power=0.75):
    """Negative-sampling distribution P_n(w) proportional to count(w) ** power."""
    p = np.asarray(counts, dtype=float) ** power
    return p / p.sum()


# --8<-- [end:noise_dist]


# --8<-- [start:huffman]
import heapq


def huffman_code_lengths(freqs):
    """Depth of each leaf in a Huffman tree = number of binary decisions
    (sigmoid units) hierarchical softmax evaluates for that word."""
    heap = [(f, i, [i]) for i, f in enumerate(freqs)]
    heapq.heapify(heap)
    depth = [0] * len(freqs)
    counter = len(freqs)
    while len(heap) > 1:
        f1, _, leaves1 = heapq.heappop(heap)
        f2, _, leaves2 = heapq.heappop(heap)
        for leaf in leaves1 + leaves2:  # every leaf below the merge gets one level deeper
            depth[leaf] += 1
        heapq.heappush(heap, (f1 + f2, counter, leaves1 + leaves2))
        counter += 1
    return depth


# --8<-- [end:huffman]


def zipf_counts(vocab_size, s=1.0, total=1_000_000):
    ranks = np.arange(1, vocab_size + 1)
    w = 1.0 / ranks**s
    return np.maximum(1, np.round(total * w / w.sum())).astype(int)
