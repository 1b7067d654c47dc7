"""MLM masking strategies: BERT's 15% / 80-10-10, static vs dynamic masking, whole word masking.

Included by docs/plm/bert.md and docs/plm/bert-family.md; tested in tests/snippets/test_masking.py.
The selection logic follows google-research/bert create_pretraining_data.py
(create_masked_lm_predictions): a fixed budget of round(15% * n) positions, filled with whole
"candidate groups" (one token each, or all pieces of one word under whole word masking); then each
chosen position independently becomes [MASK] (80%), a random token (10%) or stays unchanged (10%).
"""

import random

# --8<-- [start:bert_mask]
import random

MASK = "[MASK]"


def bert_mask(tokens, rng, vocab, p=0.15, groups=None):
    """Corrupt `tokens` for MLM. Returns (corrupted, labels, actions).

    groups: list of index lists selected as a unit; None = every token is its own group.
    labels[i] is the original token at chosen positions and None elsewhere: the loss is
    computed only where labels[i] is not None (the chosen ~15%).
    """
    n = len(tokens)
    groups = [[i] for i in range(n)] if groups is None else groups
    budget = max(1, round(n * p))
    order = list(groups)
    rng.shuffle(order)
    chosen = []
    for g in order:
        if len(chosen) >= budget:
            break
        if len(chosen) + len(g) > budget:  # a whole word would overflow the budget: skip it
            continue
        chosen.extend(g)
    out, labels, actions = list(tokens), [None] * n, [None] * n
    for i in sorted(chosen):
        labels[i] = tokens[i]
        r = rng.random()  # decided per position, even inside one word
        if r < 0.8:
            out[i], actions[i] = MASK, "mask"
        elif r < 0.9:
            out[i], actions[i] = rng.choice(vocab), "random"
        else:
            actions[i] = "keep"  # unchanged, but still predicted
    return out, labels, actions


# --8<-- [end:bert_mask]


# --8<-- [start:static_dynamic]
def static_masking(tokens, vocab, epochs=40, dupe_factor=10, seed=0):
    """Original BERT: mask once at preprocessing time, dupe_factor copies, reused every epoch."""
    rng = random.Random(seed)
    copies = [bert_mask(tokens, rng, vocab) for _ in range(dupe_factor)]
    return [copies[e % dupe_factor] for e in range(epochs)]


def dynamic_masking(tokens, vocab, epochs=40, seed=0):
    """RoBERTa: draw a fresh mask every time the sequence is fed to the model."""
    rng = random.Random(seed)
    return [bert_mask(tokens, rng, vocab) for _ in range(epochs)]


def distinct_patterns(runs):
    """Number of different sets of chosen positions seen over the epochs."""
    return len({tuple(i for i, lab in enumerate(labels) if lab is not None) for _, labels, _ in runs})


# --8<-- [end:static_dynamic]


# --8<-- [start:wwm]
# A toy sentence, already segmented into words (as LTP / jieba would do); BERT-Chinese
# tokenises it into single characters, so one word = several tokens.
WORDS = [
    "哈利波特",
    "是",
    "一部",
    "深受",
    "读者",
    "喜爱",
    "的",
    "魔幻",
    "小说",
    "，",
    "作者",
    "是",
    "罗琳",
    "，",
    "中文",
    "译本",
    "由",
    "人民",
    "文学",
    "出版社",
    "出版",
    "。",
]
CHARS = [c for w in WORDS for c in w]


def word_groups(words):
    """Index lists of the characters of each word, e.g. 哈利波特 -> [0, 1, 2, 3]."""
    groups, start = [], 0
    for w in words:
        groups.append(list(range(start, start + len(w))))
        start += len(w)
    return groups


def is_whole_word(labels, groups):
    """True if every word is either fully chosen or not chosen at all."""
    return all(len({labels[i] is not None for i in g}) == 1 for g in groups)


# --8<-- [end:wwm]
