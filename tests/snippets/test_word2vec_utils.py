import itertools

import numpy as np
import pytest

from word2vec_utils import cosine, huffman_code_lengths, noise_distribution, one_hot, zipf_counts


def test_one_hot_orthogonal():
    V = 7
    for i, j in itertools.combinations(range(V), 2):
        assert cosine(one_hot(i, V), one_hot(j, V)) == 0.0
    assert cosine(one_hot(3, V), one_hot(3, V)) == pytest.approx(1.0)


def test_noise_distribution_flattens():
    counts = [1000, 100, 10, 1]
    p1 = noise_distribution(counts, power=1.0)
    p75 = noise_distribution(counts)
    assert p75.sum() == pytest.approx(1.0)
    assert p75[0] < p1[0] and p75[-1] > p1[-1]
    assert np.allclose(noise_distribution(counts, power=0.0), 0.25)


@pytest.mark.parametrize("V", [2, 5, 100, 5000])
def test_huffman_is_a_complete_prefix_code_within_entropy_bound(V):
    c = zipf_counts(V)
    L = np.array(huffman_code_lengths(c))
    assert np.sum(2.0**-L) == pytest.approx(1.0)  # Kraft equality
    p = c / c.sum()
    H = -(p * np.log2(p)).sum()
    avg = (p * L).sum()
    assert H - 1e-9 <= avg < H + 1  # Shannon bound for optimal codes


def test_huffman_small_known_case():
    # frequencies 1,1,2,4 -> depths 3,3,2,1
    assert huffman_code_lengths([1, 1, 2, 4]) == [3, 3, 2, 1]
