"""Unit tests of the question helpers behind the index, self-test mode, random button and deck."""

import json

import question_bank as qb
from question_sources import Citation, Source

PAGE = """---
title: 注意力
description: d
tags: [注意力]
---

# 注意力

## 为什么除以 √d_k？ {#why-scale level=进阶}

因为点积的方差随 $d_k$ 增长，缩放把它拉回 1。

第二段也属于简答。

### 推导

细节。

## 相关条目
"""


def test_collect_gives_entries_with_topic_tags_and_urls():
    (entry,) = qb.collect([("transformer/attention.md", "transformer/attention/", "Transformer", PAGE)])
    assert entry == qb.Entry(
        "why-scale",
        "为什么除以 √d_k？",
        "进阶",
        "transformer/attention.md",
        "transformer/attention/#why-scale",
        "注意力",
        "Transformer",
        ("注意力",),
        9,  # the heading's line in the page source
    )
    assert json.loads(qb.random_index([entry])) == [
        {
            "id": "why-scale",
            "url": "transformer/attention/#why-scale",
            "title": "为什么除以 √d_k？",
            "topic": "Transformer",
            "level": "进阶",
            "tags": ["注意力"],
            "freq": None,
        }
    ]


def test_random_index_carries_the_frequency_computed_from_the_sources():
    three = tuple(Citation(Source(k, f"题集{k}", f"https://example.org/{k}"), "q.md") for k in "abc")
    (entry,) = qb.collect([("t/a.md", "t/a/", "T", PAGE)], {"why-scale": three})
    assert json.loads(qb.random_index([entry]))[0]["freq"] == "高频"


def test_index_page_groups_by_topic_and_carries_filter_data():
    (entry,) = qb.collect([("transformer/attention.md", "transformer/attention/", "Transformer", PAGE)])
    page = qb.index_page([entry], ["注意力", "BERT"])
    assert "## Transformer" in page and "全站共 1 道题" in page
    assert '<li data-level="进阶" data-tags="注意力"><a href="../transformer/attention/#why-scale">' in page
    assert '<option value="BERT">BERT</option>' in page


def test_mark_up_adds_badges_and_wraps_each_answer_until_the_next_heading():
    content = '<h2 id="q1" level="基础">Q1？<a class="headerlink" href="#q1">#</a></h2><p>A1</p><h3>x</h3><p>more</p><h2 id="refs">参考文献</h2><ol><li>r</li></ol>'
    two = tuple(Citation(Source(k, f"题集{k}", f"https://example.org/{k}"), "q.md") for k in "ab")
    entry = qb.Entry("q1", "Q1？", "基础", "p.md", "p/#q1", "P", "T", (), 1, two)
    out = qb.mark_up(content, {"q1": entry})
    assert '<h2 id="q1" class="q-title">' in out and 'level="' not in out
    assert (
        '<span class="q-badge q-level-basic">基础</span>'
        '<span class="q-badge q-freq q-freq-medium" title="2 份公开面试题集问到：题集a、题集b">中频</span>'
    ) in out
    assert '<div class="q-answer" data-question="q1"><p>A1</p><h3>x</h3><p>more</p></div>' in out
    assert out.endswith('<h2 id="refs">参考文献</h2><ol><li>r</li></ol>')  # closing sections untouched
    assert out.startswith(qb.RANDOM_TOPIC_BUTTON + '<h2 id="q1"')  # in the page: no shift after first paint


def test_short_answer_stops_at_the_first_subheading_and_keeps_math_for_anki():
    question = qb.find_questions(PAGE, "p")[0][0]
    text = qb.short_answer(PAGE, question)
    assert text.startswith("因为点积") and text.endswith("第二段也属于简答。")
    html = qb.answer_html(text)
    assert "\\(d_k\\)" in html and "<p>" in html
