"""The fixes to Material's search worker apply to the worker Material ships, once, and fail loudly otherwise."""

from pathlib import Path

import material
import pytest

import search_worker as sw

WORKER = next((Path(material.__file__).parent / "templates/assets/javascripts/workers").glob("search.*.min.js"))


def test_both_fixes_apply_to_the_shipped_worker_and_only_change_what_they_name():
    source = WORKER.read_text(encoding="utf-8")
    fixed = sw.fix_worker(source)
    (_, loop, _), (_, expansion, _) = sw.FIXES
    assert "<=" not in loop.search(source)[0] and "<=" in loop.search(fixed)[0]
    assert expansion.search(fixed)[0].endswith(".toArray().filter(w=>w in this.invertedIndex)")
    assert len(fixed) - len(source) == len("=") + len(".filter(w=>w in this.invertedIndex)")


def test_fixing_twice_changes_nothing_more():
    once = sw.fix_worker(WORKER.read_text(encoding="utf-8"))
    assert sw.fix_worker(once) == once


def test_a_worker_without_the_targeted_code_is_an_error_that_names_the_fix():
    with pytest.raises(sw.WorkerCodeChanged, match="segmentation loop .* found it 0 times"):
        sw.fix_worker("function segment(){}")
