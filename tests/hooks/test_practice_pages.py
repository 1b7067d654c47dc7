"""Unit tests of the 复习 and 模拟面试 page builders (hooks/practice_pages.py)."""

import re

import practice_pages as pp
import question_bank as qb
from question_sources import Citation, Source

PAGE = """---
title: 注意力
description: d
tags: [注意力]
---

# 注意力

## 为什么除以 √d_k？ {#why-scale level=进阶}

答。

## 多头有什么用？ {#why-heads level=基础}

答。
"""
CITED = tuple(Citation(Source(k, f"题集{k}", f"https://example.org/{k}"), "q.md") for k in "abc")


def entries():
    return qb.collect(
        [("transformer/attention.md", "transformer/attention/", "Transformer", PAGE)], {"why-scale": CITED}
    )


def test_relative_links_work_with_and_without_directory_urls():
    assert pp.relative("review/", "transformer/attention/#why-scale") == "../transformer/attention/#why-scale"
    assert pp.relative("review.html", "transformer/attention.html#x") == "transformer/attention.html#x"
    assert pp.relative("a/b/", "a/c/") == "../c/"


def test_review_page_lists_every_question_hidden_with_its_filter_data():
    page = pp.review_page(entries(), "review/", [1, 3, 9])
    items = re.findall(r'<li class="kb-q" ([^>]*) hidden><a href="([^"]+)">', page)
    assert items == [
        (
            'data-id="why-scale" data-topic="Transformer" data-level="进阶" data-freq="高频"',
            "../transformer/attention/#why-scale",
        ),
        (
            'data-id="why-heads" data-topic="Transformer" data-level="基础" data-freq=""',
            "../transformer/attention/#why-heads",
        ),
    ]
    assert '<option value="Transformer">Transformer</option>' in page and '<option value="none">未标注</option>' in page
    assert "search:\n  exclude: true" in page  # the reader's queue, not content to search


def test_review_page_writes_out_the_schedule_it_is_given():
    page = pp.review_page(entries(), "review/", [1, 3, 9])
    assert "| 第 1 盒 | 1 天后 |\n| 第 2 盒 | 3 天后 |\n| 第 3 盒 | 9 天后 |" in page
    assert "（最高第 3 盒）" in page


def test_mock_page_offers_each_topic_with_its_count_and_hides_the_pool():
    page = pp.mock_page(entries(), "mock-interview/")
    assert '<input type="checkbox" name="topic" value="Transformer" checked> Transformer（2 题）' in page
    assert '<ul class="kb-question-pool" hidden>' in page and page.count('class="kb-q"') == 2
    assert 'max="2"' in page  # no more questions than the site has


def test_question_lists_mount_no_tooltips():
    """Each [title] becomes a Material tooltip at page load; hundreds of them blocked the main thread."""
    review, mock = pp.review_page(entries(), "review/", [1, 3, 9]), pp.mock_page(entries(), "mock-interview/")
    assert '<span class="q-badge q-freq q-freq-high">高频</span>' in review  # the badge, without its source list
    assert "title=" not in review.split("<ol class=")[1]
    pool = mock.split('<ul class="kb-question-pool"')[1]
    assert "title=" not in pool and "q-badge" not in pool  # mock.js reads only the data and the link
