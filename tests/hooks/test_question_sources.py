"""Unit tests of the evidence file behind the frequency badges (data/question-sources.yml)."""

import pytest

import question_sources as qs

FILE = """sources:
  a: {title: 题集甲, url: https://example.org/a}
  b: {title: 题集乙, url: https://example.org/b}
  c: {title: 题集丙, url: https://example.org/c}
questions:
  three: {a: x.md, b: y.md, c: https://example.org/c/z}
  two: {a: x.md, b: y.md}
  one: {c: z.md}
  none: {}
"""


def test_badge_follows_the_number_of_distinct_sources():
    citations, lines = qs.load_sources(FILE, "data/q.yml")
    assert {q: qs.frequency(c) for q, c in citations.items()} == {
        "three": "高频",
        "two": "中频",
        "one": "低频",
        "none": None,
    }
    assert lines == {"three": 6, "two": 7, "one": 8, "none": 9}
    assert citations["three"][2] == qs.Citation(
        qs.Source("c", "题集丙", "https://example.org/c"), "https://example.org/c/z"
    )
    assert qs.tooltip(citations["two"]) == "2 份公开面试题集问到：题集甲、题集乙"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sources: {a: {title: t}}\n", "data/q.yml:1: source 'a' needs a title and an https:// url"),
        ("sources: {}\nquestions:\n  q: {zz: x.md}\n", "data/q.yml:3: q: source 'zz' is not declared under sources"),
        (
            "sources: {a: {title: t, url: 'https://x'}}\nquestions:\n  q: {a: x}\n  q: {a: y}\n",
            "data/q.yml:4: question 'q' is listed twice (also line 3)",
        ),
        (
            "sources: {a: {title: t, url: 'https://x'}}\nquestions:\n  q: {a: ''}\n",
            "data/q.yml:3: q: say where a asks it",
        ),
        ("sources: [\n", "data/q.yml:2: not valid YAML"),
    ],
)
def test_malformed_evidence_names_file_and_line(text, message):
    with pytest.raises(qs.SourcesError) as error:
        qs.load_sources(text, "data/q.yml")
    assert str(error.value).startswith(message)
