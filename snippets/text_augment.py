"""EDA (Wei & Zou, 2019) word-level operations with a toy synonym table,
plus a toy lexicon sentiment scorer to show which edits can flip the label.

Used by docs/nlp/basics.md; tested by tests/snippets/test_text_augment.py.
"""

import random

# --8<-- [start:eda]
import random

SYNONYMS = {  # toy stand-in for WordNet / a synonym dictionary
    "movie": ["film"],
    "great": ["excellent", "wonderful"],
    "plot": ["story"],
    "actors": ["cast"],
    "really": ["truly"],
}
STOP_WORDS = {"the", "a", "is", "was", "and", "of"}


def synonym_replacement(words, n, rng):
    """SR: replace up to n non-stop words that have synonyms."""
    out = list(words)
    idx = [i for i, w in enumerate(out) if w in SYNONYMS and w not in STOP_WORDS]
    for i in rng.sample(idx, min(n, len(idx))):
        out[i] = rng.choice(SYNONYMS[out[i]])
    return out


def random_insertion(words, n, rng):
    """RI: n times, insert a synonym of a random word at a random position."""
    out = list(words)
    for _ in range(n):
        cands = [w for w in out if w in SYNONYMS]
        if not cands:
            break
        out.insert(rng.randrange(len(out) + 1), rng.choice(SYNONYMS[rng.choice(cands)]))
    return out


def random_swap(words, n, rng):
    """RS: n times, swap two random positions."""
    out = list(words)
    for _ in range(n):
        i, j = rng.randrange(len(out)), rng.randrange(len(out))
        out[i], out[j] = out[j], out[i]
    return out


def random_deletion(words, p, rng):
    """RD: delete each word with probability p (never return an empty sentence)."""
    out = [w for w in words if rng.random() > p]
    return out if out else [rng.choice(words)]


def eda(sentence, alpha=0.1, seed=0):
    """One augmented sentence per operation; n = max(1, alpha * length)."""
    rng = random.Random(seed)
    words = sentence.split()
    n = max(1, int(alpha * len(words)))
    return {
        "SR": " ".join(synonym_replacement(words, n, rng)),
        "RI": " ".join(random_insertion(words, n, rng)),
        "RS": " ".join(random_swap(words, n, rng)),
        "RD": " ".join(random_deletion(words, alpha, rng)),
    }


# --8<-- [end:eda]


# --8<-- [start:label_flip]
POSITIVE = {"great", "excellent", "wonderful", "good"}
NEGATIVE = {"bad", "terrible", "awful", "boring"}
ANTONYMS = {"great": "terrible", "good": "bad", "boring": "exciting"}


def toy_sentiment(sentence):
    """+1 / -1 / 0 from a word lexicon; a preceding 'not' flips the word's polarity."""
    words, score = sentence.split(), 0
    for i, w in enumerate(words):
        s = (w in POSITIVE) - (w in NEGATIVE)
        if i > 0 and words[i - 1] == "not":
            s = -s
        score += s
    return (score > 0) - (score < 0)


def antonym_replacement(sentence):
    return " ".join(ANTONYMS.get(w, w) for w in sentence.split())


def insert_negation(sentence, before="great"):
    return sentence.replace(before, "not " + before, 1)


# --8<-- [end:label_flip]
