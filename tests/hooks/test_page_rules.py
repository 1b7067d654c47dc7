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
        [rules.Question("why-scale", "为什么除以 √d_k？", "进阶", None, 10)],
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


def test_frequency_is_optional_but_validated():
    questions, errors = rules.find_questions(
        "## A？ {#a level=基础 freq=高频}\n\n## B？ {#b level=深入 freq=常考}\n", "p"
    )
    assert [(q.level, q.freq) for q in questions] == [("基础", "高频"), ("深入", "常考")]
    assert errors == ["p:3: unknown freq=常考 — use freq=高频, freq=中频 or freq=低频"]
    assert "no front matter" in rules.check_front_matter("# t\n", "docs/p.md", set())[0]
