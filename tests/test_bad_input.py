"""Issue 10's matrix: every kind of broken page fails the build, naming file and line.

Each case writes one bad page whose problem sits on a known line; the build must exit non-zero and
print `docs/bad.md:<line>: ...`. Runnable-block and formula failures are covered in
test_fixture_sites.py; they use the same message format.
"""

import pytest

pytestmark = pytest.mark.slow

GOOD_FRONT = "title: 坏页面\ndescription: 用于测试的页面。"
# Body lines start at line 6 (after the four front matter lines and a blank line).
CASES = {
    "link to a missing page": ("# t\n\n[看这里](nope.md)\n", 8, "link to 'nope.md', which does not exist"),
    "link to a missing anchor": ("# t\n\n[看这里](../index.md#no-such-id)\n", 8, "anchor #no-such-id"),
    "missing local image": ("# t\n\n![图](img/missing.png)\n", 8, "link to 'img/missing.png', which does not exist"),
    "remote image": ("# t\n\n![图](https://example.com/a.png)\n", 8, "hotlink"),
    "remote image in html": ('# t\n\n<img src="https://example.com/a.png" alt="a">\n', 8, "hotlink"),
    "remote stylesheet": ('# t\n\n<link rel="stylesheet" href="https://cdn.example.com/x.css">\n', 8, "hotlink"),
    "script": ("# t\n\n<script>alert(1)</script>\n", 8, "raw <script>"),
    "iframe": ('# t\n\n<iframe src="/x"></iframe>\n', 8, "raw <iframe>"),
    "event handler": ('# t\n\n<span onclick="x()">点</span>\n', 8, "inline event handler"),
    "javascript link": ("# t\n\n[点](javascript:alert(1))\n", 8, "javascript: link"),
    "formula in a heading": ("# t\n\n### 当 $d_k$ 很大时\n", 8, "formula in a heading"),
    "question without id": ("# t\n\n## 为什么？\n\n答。\n", 8, "question heading has no id"),
    "question without level": ("# t\n\n## 为什么？ {#why}\n\n答。\n", 8, "no valid level"),
    "unknown level": ("# t\n\n## 为什么？ {#why level=很难}\n\n答。\n", 8, "no valid level"),
    "unknown frequency": ("# t\n\n## 为什么？ {#why level=基础 freq=常考}\n\n答。\n", 8, "unknown freq=常考"),
}
FRONT_CASES = {
    "bad yaml": ("title: [unclosed\ndescription: x", 3, "not valid YAML"),  # where the parser stops
    "missing title": ("description: 只有描述。", 2, "lacks 'title'"),
    "missing description": ("title: 只有标题", 2, "lacks 'description'"),
    "unknown key": (GOOD_FRONT + "\nauthor: me", 4, "unknown front matter key 'author'"),
    "unknown tag": (GOOD_FRONT + "\ntags:\n  - 不存在的标签", 4, "tag '不存在的标签' is not in the site's tag list"),
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


def test_duplicate_question_ids_name_both_places(fixture_site):
    fixture_site.page("index.md", "# 首页\n")
    fixture_site.page("a/one.md", "# 一\n\n## 问题一？ {#same-id level=基础}\n")
    fixture_site.page("a/two.md", "# 二\n\n正文。\n\n## 问题二？ {#same-id level=进阶}\n")
    result = fixture_site.build()
    assert_fails(result, "docs/a/two.md:10", "question id 'same-id' is already used at docs/a/one.md:8")


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
