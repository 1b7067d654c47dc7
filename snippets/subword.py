"""From-scratch subword tokenizers (BPE trainer and encoder, WordPiece greedy matching and
likelihood-scored merges, Unigram Viterbi segmentation) for docs/llm/tokenization.md.

Each one is checked in tests/snippets/test_subword.py and on the page against the library that
implements it: Hugging Face `tokenizers` (BPE, WordPiece) and `sentencepiece` (Unigram).
"""

# --8<-- [start:corpus]
# A tiny bilingual corpus written out in full: every tokenizer on the page is trained on it,
# in memory, in well under a second. Nothing is downloaded.
CORPUS = """the tokenizer splits text into tokens before the model sees it
a lower learning rate made the newer model train more slowly
the newest models use larger vocabularies and longer contexts
tokens that appear together often are merged into a new token
low lower lowest new newer newest wide wider widest
the model predicts the next token from the tokens before it
in 2023 the 7b model saw 2000 billion tokens with 4096 positions
the 2048 token context holds 4096 bytes of 2000 lines
大语言模型先用分词器把文本切成词元
分词器决定了一段文本会被切成多少个词元
中文没有空格，词的边界需要模型自己学习
模型根据前面的词元预测下一个词元
词表越大，同样的文本切出的词元越少
训练分词器需要统计语料中相邻符号的频率
语言模型的词表里既有汉字也有常见的词
训练用了 2000 步，上下文长度为 4096
""".strip().splitlines()
# --8<-- [end:corpus]


# --8<-- [start:bpe_train]
from collections import Counter


def merge_word(word, a, b, new_id):
    """Replace every non-overlapping occurrence of the pair (a, b), left to right."""
    out, i = [], 0
    while i < len(word):
        if i + 1 < len(word) and word[i] == a and word[i + 1] == b:
            out.append(new_id)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return out


def train_bpe(word_counts, vocab_size):
    """BPE training with the same rules as Hugging Face `tokenizers`' BpeTrainer:

    * initial ids: the alphabet sorted by Unicode code point (no special tokens here);
      every new token gets the next id, so merged tokens always have larger ids;
    * each step merges the most frequent adjacent pair (counted with word frequency);
    * ties: the pair with the smallest (id_left, id_right) wins;
    * stop when the vocabulary (alphabet + new tokens) reaches vocab_size.
    Returns the ordered merge list and the vocabulary (index = id).
    """
    vocab = sorted({c for w in word_counts for c in w})
    ids = {tok: i for i, tok in enumerate(vocab)}
    words = [[ids[c] for c in w] for w in word_counts]
    counts = list(word_counts.values())
    merges = []
    while len(vocab) < vocab_size:
        pair_counts = Counter()
        for w, n in zip(words, counts):
            for pair in zip(w, w[1:]):
                pair_counts[pair] += n
        if not pair_counts:
            break
        (a, b), _ = min(pair_counts.items(), key=lambda kv: (-kv[1], kv[0]))  # count desc, ids asc
        new = vocab[a] + vocab[b]
        if new not in ids:
            ids[new] = len(vocab)
            vocab.append(new)
        merges.append((vocab[a], vocab[b]))
        words = [merge_word(w, a, b, ids[new]) for w in words]
    return merges, vocab


# --8<-- [end:bpe_train]


# --8<-- [start:bpe_encode]
def bpe_encode(word, merges):
    """Split a word into characters, then repeatedly apply the earliest-learned merge
    (lowest rank) present in it, leftmost occurrence first, until none applies."""
    rank = {pair: r for r, pair in enumerate(merges)}
    symbols = list(word)
    while len(symbols) > 1:
        candidates = [(rank[p], i) for i, p in enumerate(zip(symbols, symbols[1:])) if p in rank]
        if not candidates:
            break
        _, i = min(candidates)
        symbols[i : i + 2] = [symbols[i] + symbols[i + 1]]
    return symbols


# --8<-- [end:bpe_encode]


# --8<-- [start:wordpiece]
from collections import Counter


def wordpiece_encode(word, vocab, unk="[UNK]", prefix="##", max_chars=100):
    """BERT's WordPiece encoding: greedy longest-match-first from the left; pieces that do
    not start the word carry the '##' prefix; if any position cannot be matched, the whole
    word becomes [UNK]."""
    if len(word) > max_chars:
        return [unk]
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else prefix + word[start:end]
            if piece in vocab:
                break
            end -= 1
        else:
            return [unk]
        pieces.append(piece)
        start = end
    return pieces


def wordpiece_likelihood_merges(word_counts, n_merges, prefix="##"):
    """WordPiece-style training: merge the pair with the highest
    count(ab) / (count(a) * count(b)) instead of the highest count(ab) (BPE).
    Ties: the pair that sorts first as strings. Returns the merged pairs in order."""
    words = {tuple(c if i == 0 else prefix + c for i, c in enumerate(w)): n for w, n in word_counts.items()}
    merges = []
    for _ in range(n_merges):
        unit, pair = Counter(), Counter()
        for w, n in words.items():
            for u in w:
                unit[u] += n
            for p in zip(w, w[1:]):
                pair[p] += n
        if not pair:
            break
        best = min(pair, key=lambda p: (-pair[p] / (unit[p[0]] * unit[p[1]]), p))
        merges.append(best)
        new = best[0] + best[1].removeprefix(prefix)
        merged = {}
        for w, n in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(new)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + n
        words = merged
    return merges


# --8<-- [end:wordpiece]


# --8<-- [start:unigram_viterbi]
import math


def unigram_viterbi(text, log_probs, unk_penalty=10.0):
    """Most probable segmentation of `text` under a unigram LM: maximise the sum of the
    pieces' log-probabilities by dynamic programming over end positions (Viterbi).

    Characters not in the vocabulary are unknown, scored like sentencepiece does:
    min(log_probs) - 10; consecutive unknown characters form one unknown piece."""
    unk_score = min(log_probs.values()) - unk_penalty
    max_len = max(map(len, log_probs))
    n = len(text)
    best, back = [0.0] + [-math.inf] * n, [0] * (n + 1)
    for end in range(1, n + 1):
        for start in range(max(0, end - max_len), end):
            piece = text[start:end]
            score = log_probs.get(piece, unk_score if end - start == 1 else None)
            if score is not None and best[start] + score > best[end]:
                best[end], back[end] = best[start] + score, start
    pieces, end = [], n
    while end > 0:
        pieces.append(text[back[end] : end])
        end = back[end]
    pieces.reverse()
    merged = []  # sentencepiece emits a run of unknown characters as one piece
    for p in pieces:
        if merged and p not in log_probs and merged[-1] not in log_probs:
            merged[-1] += p
        else:
            merged.append(p)
    return merged


# --8<-- [end:unigram_viterbi]
