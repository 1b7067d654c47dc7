"""Global-norm clipping vs torch, MinHash vs datasketch and exact Jaccard, Gopher-style filters."""

import math
import random

import datasketch
import pytest
import torch

import stability as ST


@pytest.mark.parametrize("max_norm", [0.1, 1.0, 1e6])
def test_clip_matches_torch(max_norm):
    def grads():
        torch.manual_seed(0)
        ps = [torch.nn.Parameter(torch.randn(5, 3)), torch.nn.Parameter(torch.randn(7))]
        for p in ps:
            p.grad = torch.randn_like(p) * 3
        return ps

    ours, ref = grads(), grads()
    n1 = ST.clip_by_global_norm(ours, max_norm)
    n2 = torch.nn.utils.clip_grad_norm_(ref, max_norm)
    assert math.isclose(n1.item(), n2.item(), rel_tol=1e-6)
    for a, b in zip(ours, ref, strict=True):
        torch.testing.assert_close(a.grad, b.grad)


def test_minhash_signature_is_bit_identical_to_datasketch_legacy():
    items = ST.shingles("one two three four five six seven eight nine ten eleven twelve", n=2)
    m = datasketch.MinHash(num_perm=64, seed=7, scheme="legacy")
    for x in items:
        m.update(x.encode("utf-8"))
    a, b = (list(map(int, row)) for row in m.permutations)
    assert ST.minhash_signature(items, a, b) == list(map(int, m.hashvalues))


def test_minhash_estimate_is_close_to_exact_jaccard():
    rng = random.Random(0)
    universe = [f"w{i}" for i in range(400)]
    errors = []
    for _ in range(5):
        a = set(rng.sample(universe, 200))
        b = set(rng.sample(sorted(a), 120)) | set(rng.sample(universe, 80))
        exact = ST.jaccard(a, b)
        g = random.Random(1)
        ka = [g.randrange(1, ST.MERSENNE) for _ in range(512)]
        kb = [g.randrange(0, ST.MERSENNE) for _ in range(512)]
        est = ST.estimate_jaccard(ST.minhash_signature(a, ka, kb), ST.minhash_signature(b, ka, kb))
        errors.append(abs(est - exact))
        assert abs(est - exact) < 4 * math.sqrt(exact * (1 - exact) / 512)
    assert sum(errors) / len(errors) < 0.03


def test_lsh_probability_limits():
    assert ST.lsh_candidate_probability(1.0, 20, 5) == 1.0
    assert ST.lsh_candidate_probability(0.0, 20, 5) == 0.0
    # one band of r rows: all rows must agree
    assert math.isclose(ST.lsh_candidate_probability(0.5, 1, 3), 0.125)


def test_gopher_rules():
    assert "word count outside 50..100000" in ST.gopher_quality_ok("too short")
    text = " ".join(["the cat and the dog sat with me"] * 10)
    assert ST.gopher_quality_ok(text) == []
    assert "hash-to-word ratio > 0.1" in ST.gopher_quality_ok(text + " #" * 20)
    # the two symbols are checked separately (Rae et al. 2021, App. A): 8% '#' plus 8% '...' passes
    words = " ".join(["the committee and the council agreed with members"] * 10)
    mixed = "# ... " * 7 + words  # 7 of 94 words each: 7.4% '#', 7.4% '...', 14.9% together
    assert ST.gopher_quality_ok(mixed) == []
    assert "ellipsis-to-word ratio > 0.1" in ST.gopher_quality_ok("... " * 10 + words)
