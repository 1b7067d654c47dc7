import io
import json
import random
from collections import Counter

import pytest
import sentencepiece as spm
from tokenizers import Tokenizer, models, pre_tokenizers, trainers

import subword as S

PRE = pre_tokenizers.Whitespace()


def word_counts(lines):
    return Counter(w for line in lines for w, _ in PRE.pre_tokenize_str(line))


def hf_bpe(lines, vocab_size):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = PRE
    tok.train_from_iterator(lines, trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False))
    return tok


def random_corpus(seed, n_lines=40):
    rng = random.Random(seed)
    letters = "abcdeélmnorst"
    return [
        " ".join("".join(rng.choice(letters) for _ in range(rng.randint(1, 7))) for _ in range(rng.randint(1, 8)))
        for _ in range(n_lines)
    ]


@pytest.mark.parametrize("extra", [1, 25, 80, 200])
def test_bpe_trainer_matches_tokenizers_on_page_corpus(extra):
    wc = word_counts(S.CORPUS)
    alphabet = len({c for w in wc for c in w})
    mine, vocab = S.train_bpe(wc, alphabet + extra)
    lib = [tuple(m) for m in json.loads(hf_bpe(S.CORPUS, alphabet + extra).to_str())["model"]["merges"]]
    assert mine == lib
    assert len(vocab) <= alphabet + extra


@pytest.mark.parametrize("seed", range(5))
def test_bpe_trainer_matches_tokenizers_on_random_corpora(seed):
    # many ties: a small alphabet and short random words
    lines = random_corpus(seed)
    wc = word_counts(lines)
    alphabet = len({c for w in wc for c in w})
    mine, _ = S.train_bpe(wc, alphabet + 40)
    lib = [tuple(m) for m in json.loads(hf_bpe(lines, alphabet + 40).to_str())["model"]["merges"]]
    assert mine == lib


def test_bpe_encode_matches_tokenizers():
    wc = word_counts(S.CORPUS)
    alphabet = len({c for w in wc for c in w})
    merges, _ = S.train_bpe(wc, alphabet + 120)
    tok = hf_bpe(S.CORPUS, alphabet + 120)
    rng = random.Random(0)
    chars = sorted({c for w in wc for c in w})
    words = list(wc) + ["".join(rng.choice(chars) for _ in range(rng.randint(1, 9))) for _ in range(200)]
    for w in words:
        assert S.bpe_encode(w, merges) == tok.encode(w).tokens, w


def test_bpe_encode_is_lossless_and_uses_only_vocab():
    wc = word_counts(S.CORPUS)
    alphabet = len({c for w in wc for c in w})
    merges, vocab = S.train_bpe(wc, alphabet + 120)
    for w in wc:
        pieces = S.bpe_encode(w, merges)
        assert "".join(pieces) == w and set(pieces) <= set(vocab)


def test_wordpiece_encode_matches_tokenizers():
    wp = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    wp.pre_tokenizer = PRE
    wp.train_from_iterator(
        S.CORPUS, trainers.WordPieceTrainer(vocab_size=400, special_tokens=["[UNK]"], show_progress=False)
    )
    vocab = wp.get_vocab()
    rng = random.Random(1)
    chars = sorted({c for line in S.CORPUS for c in line if not c.isspace()} | {"龘"})
    words = ["".join(rng.choice(chars) for _ in range(rng.randint(1, 10))) for _ in range(300)]
    for w in words:
        if len(PRE.pre_tokenize_str(w)) != 1:  # keep single pre-tokenized words
            continue
        assert S.wordpiece_encode(w, vocab) == wp.encode(w).tokens, w


def test_wordpiece_likelihood_first_merge_is_argmax_of_score():
    wc = Counter({"hug": 10, "pug": 5, "pun": 12, "bun": 4, "hugs": 5})
    first = S.wordpiece_likelihood_merges(wc, 1)[0]
    # brute force over all adjacent pairs, with the '##' convention
    unit, pair = Counter(), Counter()
    for w, n in wc.items():
        pieces = [w[0]] + ["##" + c for c in w[1:]]
        for u in pieces:
            unit[u] += n
        for p in zip(pieces, pieces[1:]):
            pair[p] += n
    scores = {p: pair[p] / (unit[p[0]] * unit[p[1]]) for p in pair}
    assert scores[first] == max(scores.values())
    # the Hugging Face course example: ("##g", "##s") has the best score here
    assert first == ("##g", "##s")


def test_unigram_viterbi_matches_sentencepiece():
    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(S.CORPUS),
        model_writer=buf,
        vocab_size=250,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    sp = spm.SentencePieceProcessor(model_proto=buf.getvalue())
    log_probs = {
        sp.id_to_piece(i): sp.get_score(i)
        for i in range(sp.get_piece_size())
        if not (sp.is_unknown(i) or sp.is_control(i) or sp.is_unused(i) or sp.is_byte(i))
    }
    rng = random.Random(2)
    chars = sorted({c for line in S.CORPUS for c in line} | {"龘", "🦙"})
    lines = S.CORPUS + ["".join(rng.choice(chars) for _ in range(rng.randint(1, 20))) for _ in range(200)]
    for line in lines:
        assert S.unigram_viterbi(sp.normalize(line), log_probs) == sp.encode(line, out_type=str), line


def test_unigram_viterbi_is_optimal_by_brute_force():
    log_probs = {"a": -1.0, "b": -1.5, "ab": -2.0, "abc": -4.1, "c": -2.0, "bc": -2.6}

    def all_segmentations(s):
        if not s:
            yield []
            return
        for i in range(1, len(s) + 1):
            if s[:i] in log_probs:
                for rest in all_segmentations(s[i:]):
                    yield [s[:i], *rest]

    for text in ["abc", "abcab", "cabbc", "bcabc"]:
        best = max(all_segmentations(text), key=lambda seg: sum(log_probs[p] for p in seg))
        assert S.unigram_viterbi(text, log_probs) == best
