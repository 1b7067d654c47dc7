"""Unit tests of the page-source rules (the fixture matrix in test_bad_input.py builds real sites)."""

import page_rules as rules

PAGE = """---
title: 注意力
description: 一句话。
tags:
  - 注意力
---

# 注意力

## 为什么除以 √d_k？ {#why-scale level=进阶}

见 [多头](other.md#multi-head) 与 ![图](img/a.svg)，`<script>` 在行内代码里无害。

```html
<script>fine inside a code block</script>
```

[ref]: ../x.md

## 相关条目

## 参考文献
"""


def test_clean_page_has_no_errors_and_one_question():
    assert rules.check_front_matter(PAGE, "docs/p.md", {"注意力"}) == []
    assert rules.check_html_safety(PAGE, "docs/p.md") == []
    assert rules.find_questions(PAGE, "docs/p.md") == (
        [rules.Question("why-scale", "为什么除以 √d_k？", "进阶", 10)],
        [],
    )


def test_links_come_with_their_lines_and_skip_code():
    assert rules.find_links(PAGE, "docs/p.md") == [(12, "other.md#multi-head"), (12, "img/a.svg"), (18, "../x.md")]


def test_is_external():
    assert rules.is_external("https://arxiv.org/abs/1706.03762")
    assert rules.is_external("mailto:a@b.c") and rules.is_external("//cdn.example.com/x.js")
    assert not rules.is_external("../ml/evaluation.md#auc")


def test_non_kebab_id_and_missing_front_matter():
    questions, errors = rules.find_questions("# t\n\n## Q？ {#Why_Scale level=基础}\n", "docs/p.md")
    assert [q.id for q in questions] == ["Why_Scale"] and "not kebab-case" in errors[0]


def test_frequency_is_never_typed_in_a_heading():
    questions, errors = rules.find_questions("## A？ {#a level=基础}\n\n## B？ {#b level=深入 freq=高频}\n", "p")
    assert [q.id for q in questions] == ["a", "b"]
    assert errors == [
        "p:3: freq= is not written by hand — remove it; the frequency badge is computed from "
        "the public sources listed for this id in data/question-sources.yml"
    ]
    assert "no front matter" in rules.check_front_matter("# t\n", "docs/p.md", set())[0]


def test_reviewed_date_is_required_on_content_pages_and_not_in_the_future():
    import datetime

    today = datetime.date(2026, 11, 30)
    page = "---\ntitle: t\ndescription: d\nreviewed: {}\n---\n"
    assert rules.check_front_matter(page.format("2026-11-30"), "p", set(), reviewed_by=today) == []
    assert rules.check_front_matter(page.format("2026-12-01"), "p", set(), reviewed_by=today) == [
        "p:4: reviewed: 2026-12-01 is in the future — use the day the review was done"
    ]
    assert "is not a date" in rules.check_front_matter(page.format("'2026-11'"), "p", set(), reviewed_by=today)[0]
    assert (
        "is not a date"
        in rules.check_front_matter(page.format("2026-11-30 10:00:00"), "p", set(), reviewed_by=today)[0]
    )
    missing = rules.check_front_matter("---\ntitle: t\ndescription: d\n---\n", "p", set(), reviewed_by=today)
    assert missing == [
        "p:2: front matter lacks 'reviewed' — add reviewed: YYYY-MM-DD, the day the page was last checked against its sources"
    ]
    assert rules.check_front_matter("---\ntitle: t\ndescription: d\n---\n", "p", set()) == []  # home page
