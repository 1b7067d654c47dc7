"""Pipeline schedules: bubble fractions of GPipe, 1F1B and interleaved 1F1B."""

import pytest

import pipeline as PP


@pytest.mark.parametrize("p,m", [(2, 3), (3, 7), (4, 4), (6, 24)])
def test_gpipe_and_1f1b_bubble(p, m):
    for orders in (PP.gpipe(p, m), PP.one_f_one_b(p, m)):
        # every device runs each micro-batch's forward and backward exactly once
        for order in orders:
            assert sorted(order) == sorted([("F", i, 0) for i in range(m)] + [("B", i, 0) for i in range(m)])
        makespan, _ = PP.simulate(orders, p, t_f=1.0, t_b=1.0)
        assert makespan == 2 * (m + p - 1)


def test_1f1b_memory_bound():
    _, peak = PP.simulate(PP.one_f_one_b(8, 40), 8)
    assert max(peak) == 8
    _, peak = PP.simulate(PP.gpipe(8, 40), 8)
    assert max(peak) == 40


@pytest.mark.parametrize("p,m,v", [(2, 4, 2), (4, 8, 3), (4, 12, 2)])
def test_interleaved_bubble(p, m, v):
    makespan, _ = PP.simulate(PP.interleaved_1f1b(p, m, v), p, v=v, t_f=1.0, t_b=2.0)
    assert makespan == pytest.approx(3.0 * m + 3.0 * (p - 1) / v)


def test_bad_order_deadlocks():
    # a backward before its own forward can never run
    with pytest.raises(AssertionError):
        PP.simulate([[("B", 0, 0), ("F", 0, 0)]], 1)
