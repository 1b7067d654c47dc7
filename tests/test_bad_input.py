"""Issue 10's matrix: every kind of broken page fails the build, naming file and line.

Each case writes one bad page whose problem sits on a known line; the build must exit non-zero and
print `docs/bad.md:<line>: ...`. Runnable-block and formula failures are covered in
test_fixture_sites.py; they use the same message format.
"""

import re

import pytest

pytestmark = pytest.mark.slow

GOOD_FRONT = "title: 坏页面\ndescription: 用于测试的页面。\nreviewed: 2026-01-05"
# Body lines start at line 7 (after the five front matter lines and a blank line).
CASES = {
    "link to a missing page": ("# t\n\n[看这里](nope.md)\n", 9, "link to 'nope.md', which does not exist"),
    "link to a missing anchor": ("# t\n\n[看这里](../index.md#no-such-id)\n", 9, "anchor #no-such-id"),
    "missing local image": ("# t\n\n![图](img/missing.png)\n", 9, "link to 'img/missing.png', which does not exist"),
    "remote image": ("# t\n\n![图](https://example.com/a.png)\n", 9, "hotlink"),
    "remote image in html": ('# t\n\n<img src="https://example.com/a.png" alt="a">\n', 9, "hotlink"),
    "remote stylesheet": ('# t\n\n<link rel="stylesheet" href="https://cdn.example.com/x.css">\n', 9, "hotlink"),
    "script": ("# t\n\n<script>alert(1)</script>\n", 9, "raw <script>"),
    "iframe": ('# t\n\n<iframe src="/x"></iframe>\n', 9, "raw <iframe>"),
    "event handler": ('# t\n\n<span onclick="x()">点</span>\n', 9, "inline event handler"),
    "javascript link": ("# t\n\n[点](javascript:alert(1))\n", 9, "javascript: link"),
    "formula in a heading": ("# t\n\n### 当 $d_k$ 很大时\n", 9, "formula in a heading"),
    "question without id": ("# t\n\n## 为什么？\n\n答。\n", 9, "question heading has no id"),
    "question without level": ("# t\n\n## 为什么？ {#why}\n\n答。\n", 9, "no valid level"),
    "unknown level": ("# t\n\n## 为什么？ {#why level=很难}\n\n答。\n", 9, "no valid level"),
    "unknown calculator": (
        '# t\n\n<div class="kb-calc" data-calc="speed" data-preset="x" markdown="0"></div>\n',
        9,
        "unknown calculator 'speed'",
    ),
    "frequency typed by hand": (
        "# t\n\n## 为什么？ {#why level=基础 freq=高频}\n\n答。\n",
        9,
        "freq= is not written by hand",
    ),
}
FRONT_CASES = {
    "bad yaml": ("title: [unclosed\ndescription: x", 3, "not valid YAML"),  # where the parser stops
    "missing title": ("description: 只有描述。", 2, "lacks 'title'"),
    "missing description": ("title: 只有标题", 2, "lacks 'description'"),
    "unknown key": (GOOD_FRONT + "\nauthor: me", 5, "unknown front matter key 'author'"),
    "unknown tag": (GOOD_FRONT + "\ntags:\n  - 不存在的标签", 5, "tag '不存在的标签' is not in the site's tag list"),
}
# Content pages (in a folder) say when they were last checked against their sources.
REVIEWED_CASES = {
    "no reviewed date": ("title: t\ndescription: d", 2, "lacks 'reviewed'"),
    "reviewed not a date": ("title: t\ndescription: d\nreviewed: 上周", 4, "is not a date"),
    "reviewed in the future": ("title: t\ndescription: d\nreviewed: 2999-01-01", 4, "is in the future"),
}


def assert_fails(result, where, message):
    assert result.returncode != 0, result.output[-2000:]
    assert f"{where}: {message}" in result.output or (where in result.output and message in result.output), (
        result.output[-3000:]
    )


@pytest.mark.parametrize("kind", CASES)
def test_bad_page_body_fails_with_file_and_line(fixture_site, kind):
    body, line, message = CASES[kind]
    fixture_site.page("index.md", "# 首页\n\n正文。\n")
    fixture_site.page("topic/bad.md", body, GOOD_FRONT)
    result = fixture_site.build()
    assert_fails(result, f"docs/topic/bad.md:{line}", message)


@pytest.mark.parametrize("kind", FRONT_CASES)
def test_bad_front_matter_fails_with_file_and_line(fixture_site, kind):
    front, line, message = FRONT_CASES[kind]
    fixture_site.page("index.md", "# 首页\n")
    fixture_site.page("bad.md", "# 坏页面\n", front)
    result = fixture_site.build()
    assert_fails(result, f"docs/bad.md:{line}", message)


@pytest.mark.parametrize("kind", REVIEWED_CASES)
def test_content_page_without_a_valid_reviewed_date_fails(fixture_site, kind):
    front, line, message = REVIEWED_CASES[kind]
    fixture_site.page("index.md", "# 首页\n")
    fixture_site.page("topic/bad.md", "# 坏页面\n", front)
    result = fixture_site.build()
    assert_fails(result, f"docs/topic/bad.md:{line}", message)


EVIDENCE = """sources:
  a: {title: 题集甲, url: https://example.org/a}
  b: {title: 题集乙, url: https://example.org/b}
  c: {title: 题集丙, url: https://example.org/c}
questions:
  asked-everywhere: {a: q/1.md, b: q/2.md, c: https://example.org/c/3}
  asked-once: {b: q/9.md}
"""


def test_frequency_badges_are_computed_from_the_evidence_file(fixture_site):
    fixture_site.page("index.md", "# 首页\n")
    body = "# 题\n\n## 常问？ {#asked-everywhere level=基础}\n\n答。\n\n## 偶尔问？ {#asked-once level=基础}\n\n答。\n\n## 没人问？ {#never-asked level=基础}\n\n答。\n"
    fixture_site.page("topic/q.md", body)
    (fixture_site.root / "data" / "question-sources.yml").write_text(EVIDENCE, encoding="utf-8")
    result = fixture_site.build()
    assert result.returncode == 0, result.output[-3000:]
    html = (result.site / "topic" / "q" / "index.html").read_text(encoding="utf-8")
    high = re.search(r'<span class="q-badge q-freq q-freq-high" title="([^"]+)">高频</span>', html)
    assert high and high.group(1) == "3 份公开面试题集问到：题集甲、题集乙、题集丙"
    assert '<span class="q-badge q-freq q-freq-low" title="1 份公开面试题集问到：题集乙">低频</span>' in html
    assert html.count("q-freq-") == 2  # the question no source asks has no frequency badge


def test_evidence_for_a_question_no_page_has_fails(fixture_site):
    fixture_site.page("index.md", "# 首页\n")
    fixture_site.page("topic/q.md", "# 题\n\n## 常问？ {#asked-everywhere level=基础}\n\n答。\n")
    (fixture_site.root / "data" / "question-sources.yml").write_text(EVIDENCE, encoding="utf-8")
    result = fixture_site.build()
    assert_fails(result, "data/question-sources.yml:7", "no page has a question with id 'asked-once'")


def test_duplicate_question_ids_name_both_places(fixture_site):
    fixture_site.page("index.md", "# 首页\n")
    fixture_site.page("a/one.md", "# 一\n\n## 问题一？ {#same-id level=基础}\n")
    fixture_site.page("a/two.md", "# 二\n\n正文。\n\n## 问题二？ {#same-id level=进阶}\n")
    result = fixture_site.build()
    assert_fails(result, "docs/a/two.md:11", "question id 'same-id' is already used at docs/a/one.md:9")


def test_page_missing_from_nav_fails(fixture_site):
    fixture_site.page("index.md", "# 首页\n")
    fixture_site.page("orphan.md", "# 孤儿页\n")
    result = fixture_site.build(nav=["index.md"])
    assert_fails(result, "docs/orphan.md:1", "page is not in the navigation")


def test_nav_entry_without_page_fails(fixture_site):
    fixture_site.page("index.md", "# 首页\n")
    result = fixture_site.build(nav=["index.md", "ghost.md"])
    assert_fails(result, "mkdocs.yml:5", "nav entry 'ghost.md' has no page")


def test_failed_build_leaves_no_site_for_make_build(tmp_path):
    """`make build` builds into a temporary directory and only then replaces site/."""
    import re
    from pathlib import Path

    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    recipe = re.search(r"^build:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    steps = [line.strip() for line in recipe.splitlines()]
    build_step = next(i for i, s in enumerate(steps) if "mkdocs build" in s)
    assert "-d .site.tmp" in steps[build_step]
    assert steps[build_step + 1].startswith("rm -rf $(SITE) && mv .site.tmp $(SITE)")
