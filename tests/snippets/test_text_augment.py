import random
from collections import Counter

from text_augment import (
    SYNONYMS,
    antonym_replacement,
    eda,
    insert_negation,
    random_deletion,
    random_swap,
    synonym_replacement,
    toy_sentiment,
)

S = ["the", "movie", "was", "really", "great", "and", "the", "actors", "were", "great"]


def test_swap_preserves_multiset():
    for seed in range(20):
        assert Counter(random_swap(S, 3, random.Random(seed))) == Counter(S)


def test_deletion_never_empty():
    for seed in range(20):
        assert len(random_deletion(S, 0.99, random.Random(seed))) >= 1


def test_synonym_replacement_changes_at_most_n_words_and_only_to_synonyms():
    for seed in range(20):
        out = synonym_replacement(S, 2, random.Random(seed))
        changed = [(a, b) for a, b in zip(S, out) if a != b]
        assert len(changed) <= 2
        assert all(b in SYNONYMS[a] for a, b in changed)


def test_eda_returns_four_ops():
    assert set(eda(" ".join(S))) == {"SR", "RI", "RS", "RD"}


def test_label_flip_examples():
    s = "the movie was really great"
    assert toy_sentiment(s) == 1
    assert toy_sentiment(antonym_replacement(s)) == -1
    assert toy_sentiment(insert_negation(s)) == -1
    assert toy_sentiment(" ".join(synonym_replacement(s.split(), 5, random.Random(0)))) == 1
