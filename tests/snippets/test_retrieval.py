import logging
import math
import re

import jieba
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from rank_bm25 import BM25Okapi
from sklearn.metrics import ndcg_score

import retrieval as R

jieba.setLogLevel(logging.WARNING)
DOCS = [
    "大语言模型通过预测下一个词进行预训练。",
    "检索增强生成先检索相关文档，再把文档和问题一起输入模型。",
    "BM25 依据词频、逆文档频率和文档长度给文档打分。",
    "向量检索把问题和文档编码成稠密向量。",
    "量化把模型权重压缩到低比特整数。",
    "重排序模型对候选文档逐一打分。",
]


def tok(s):
    return [w for w in jieba.lcut(s) if re.search(r"\w", w)]


@pytest.mark.parametrize("k1,b,eps", [(1.5, 0.75, 0.25), (1.2, 0.5, 0.1), (2.0, 1.0, 0.5)])
def test_bm25_matches_rank_bm25(k1, b, eps):
    corpus = [tok(d) for d in DOCS]
    ours, lib = R.BM25(corpus, k1, b, eps), BM25Okapi(corpus, k1=k1, b=b, epsilon=eps)
    assert any(v == eps * lib.average_idf for v in lib.idf.values())  # the floor is exercised
    for q in ["检索文档", "模型的权重", "打分", "不存在的词", "文档文档"]:
        assert np.allclose(ours.scores(tok(q)), lib.get_scores(tok(q)))


def test_bm25_term_frequency_saturates():
    corpus = [["a"] * n + ["x"] * (10 - n) for n in range(1, 10)] + [["y"] * 10] * 12
    bm = R.BM25(corpus)
    s = [bm.score(["a"], i) for i in range(9)]
    gains = np.diff(s)
    assert (gains > 0).all() and (np.diff(gains) < 0).all()  # increasing, with diminishing returns
    assert s[-1] < bm.idf["a"] * (bm.k1 + 1)  # bounded by idf * (k1 + 1)


def test_infonce_equals_cross_entropy():
    torch.manual_seed(0)
    q, d = torch.randn(16, 32), torch.randn(16, 32)
    s = F.normalize(q, dim=-1) @ F.normalize(d, dim=-1).T / 0.05
    ref = F.cross_entropy(s, torch.arange(16))
    assert torch.allclose(R.in_batch_infonce(q, d, 0.05), ref)


def test_rrf_uses_ranks_only():
    a, b = ["d1", "d2", "d3", "d4"], ["d3", "d1", "d5"]
    fused = R.reciprocal_rank_fusion([a, b])
    assert fused[0] == "d1"  # 1/61 + 1/62 beats d3's 1/63 + 1/61
    assert set(fused) == {"d1", "d2", "d3", "d4", "d5"}
    assert R.reciprocal_rank_fusion([b, a]) == fused


def test_metrics_by_hand_and_against_sklearn():
    ranking = ["d3", "d1", "d7", "d2"]
    assert R.recall_at_k(ranking, {"d1", "d2"}, 2) == 0.5
    assert R.reciprocal_rank(ranking, {"d1", "d2"}) == 0.5
    assert R.reciprocal_rank(ranking, {"d9"}) == 0.0
    gains = {"d1": 3, "d2": 1, "d5": 2}  # d5 is relevant but not retrieved in the top 5
    ranking5 = ranking + ["d8"]
    # exponential gains: compare with scikit-learn on the transformed relevance 2^g - 1
    docs = ["d1", "d2", "d3", "d5", "d7", "d8"]
    true = np.array([[2 ** gains.get(d, 0) - 1 for d in docs]])
    score = np.array([[-ranking5.index(d) if d in ranking5 else -100 for d in docs]])
    assert math.isclose(R.ndcg_at_k(ranking5, gains, 5), ndcg_score(true, score, k=5))
    perfect = ["d1", "d5", "d2", "d3", "d7"]
    assert R.ndcg_at_k(perfect, gains, 5) == 1.0


def test_chunking_overlap_guarantees_containment():
    chunks = R.chunk_spans(10_000, size=512, overlap=128)
    assert chunks[0] == (0, 512) and chunks[-1][1] == 10_000
    # any span no longer than the overlap + 1 lies inside some chunk
    for a in range(0, 10_000 - 129, 37):
        assert R.contained((a, a + 129), chunks)
    no_overlap = R.chunk_spans(10_000, size=512, overlap=0)
    assert not R.contained((500, 520), no_overlap)


def test_ivf_recall_grows_with_nprobe():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3000, 32)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    index = R.IVFIndex(x, n_lists=30)
    q = x[rng.integers(0, 3000, 50)] + 0.3 * rng.standard_normal((50, 32)).astype(np.float32)
    recalls = []
    for nprobe in (1, 5, 30):
        hits = 0
        for v in q:
            exact = set(np.argsort(-(x @ v))[:10])
            got, _ = index.search(v, 10, nprobe)
            hits += len(exact & set(got))
        recalls.append(hits / (10 * len(q)))
    assert recalls[0] < recalls[1] <= recalls[2] == 1.0
