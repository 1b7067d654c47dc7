"""Pure helpers: the Markdown of the two practice pages hooks/questions.py generates.

- 复习 (review.md): every question of the site as a hidden list item that review.js shows when the
  reader's progress says it is due today, with filters (topic, difficulty, frequency), the reader's
  progress with export, import and clear, and the review schedule written out from `box_days`
  (mkdocs.yml extra.practice.box_days, the same numbers practice-store.js schedules with).
- 模拟面试 (mock-interview.md): a form (topics, number of questions, minutes per question) and the
  same question list, hidden, that mock.js draws from.
The lists are in the page, not fetched: pages opened from file:// (the offline bundle) cannot fetch().
Nothing here imports MkDocs.
"""

from __future__ import annotations

import html
import posixpath

from question_bank import FREQ_CLASSES, LEVEL_CLASSES, Entry, badges_html

REVIEW_PAGE = "review.md"
MOCK_PAGE = "mock-interview.md"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url` (site-relative URLs, with or without directory
    URLs: `review/` or `review.html`)."""
    path, _, anchor = to_url.partition("#")
    start = posixpath.dirname(from_url) if not from_url.endswith("/") else from_url.rstrip("/")
    rel = posixpath.relpath(path or ".", start or ".")
    rel = rel + "/" if path.endswith("/") and not rel.endswith("/") else rel
    return rel + (f"#{anchor}" if anchor else "")


def question_items(entries: list[Entry], page_url: str, shown: bool = True) -> str:
    """One hidden <li> per question: a link to it and the data the scripts filter and schedule by
    (id, topic, level, frequency); with `shown` (a list the reader sees), also its badges and page.

    Neither list has [title] elements: Material's content.tooltips would mount one tooltip for each
    at page load (about 240 frequency badges' source lists, a long main-thread task on a phone). The
    question's own page shows the sources."""
    items = []
    for e in entries:
        data = f'data-id="{e.id}" data-topic="{html.escape(e.topic)}" data-level="{e.level}" data-freq="{e.freq or ""}"'
        link = f'<a href="{html.escape(relative(page_url, e.url))}">{html.escape(e.title)}</a>'
        extra = ""
        if shown:
            page = f'<span class="q-page">{html.escape(e.page_title)}</span>'
            extra = f" {badges_html(e.level, e.citations, sources=False)} {page}"
        items.append(f'<li class="kb-q" {data} hidden>{link}{extra}</li>')
    return "\n".join(items)


def _options(values) -> str:
    return "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>' for v in values)


def schedule_table(box_days: list[int]) -> str:
    """The review schedule as a Markdown table: box, days until the next review."""
    rows = [f"| 第 {i} 盒 | {days} 天后 |" for i, days in enumerate(box_days, 1)]
    return "\n".join(["| 所在的盒子 | 下次复习 |", "| --- | --- |", *rows])


def review_page(entries: list[Entry], page_url: str, box_days: list[int]) -> str:
    """Markdown of the 复习 page."""
    topics = list(dict.fromkeys(e.topic for e in entries))
    last = len(box_days)
    return f"""---
title: 复习
description: 按间隔重复（Leitner 盒子）安排今天该复习的面试题，可按主题、难度与频率筛选；进度只保存在你的浏览器里，可以导出和导入。
search:
  exclude: true
---

# 复习

在任何题目页打开**自测模式**（页眉的眼睛图标），想好答案后点“显示答案”，再给自己打分：**会了**或**不会**。本站按下面的规则安排每道题下次什么时候再出现；今天到期的题列在这里，页眉的复习图标上也会显示到期的题数。从这里打开题目时会自动打开自测模式。想一次练几道新题，可以试试[模拟面试](mock-interview.md)。

<div class="kb-review" markdown="0" data-search-exclude>
<div class="q-filters">
<label>主题 <select id="kb-review-topic"><option value="">全部</option>{_options(topics)}</select></label>
<label>难度 <select id="kb-review-level"><option value="">全部</option>{_options(LEVEL_CLASSES)}</select></label>
<label>频率 <select id="kb-review-freq"><option value="">全部</option>{_options(FREQ_CLASSES)}<option value="none">未标注</option></select></label>
<span id="kb-review-count" role="status"></span>
</div>
<p class="kb-review-empty">今天没有到期的题。</p>
<ol class="kb-review-list">
{question_items(entries, page_url)}
</ol>
</div>

## 进度与备份

进度保存在这台设备的浏览器里（`localStorage`），各个版本的站点共用同一份，不会上传到任何地方；换设备或清理浏览器数据前，请先导出。

<div class="kb-progress" markdown="0" data-search-exclude>
<p class="kb-progress-stats" role="status">正在读取进度……</p>
<div class="kb-progress-actions">
<button type="button" class="md-button kb-export">导出进度</button>
<label class="md-button kb-import">导入进度<input type="file" accept="application/json,.json" class="kb-import-file"></label>
<button type="button" class="md-button kb-clear">清除进度</button>
</div>
<p class="kb-progress-message" role="status"></p>
</div>

导入时，同一道题保留两份记录中最后打分较晚的那一份；其他题目的记录不受影响。

## 复习规则

本站用 Leitner 盒子安排复习，规则只有四条：

1. 第一次给一道题打分时，它视为在第 1 盒。
2. **会了**：升一盒（最高第 {last} 盒）；**不会**：回到第 1 盒。
3. 打分之后，按题目所在的盒子安排下次复习（见下表）；下次复习的日期不晚于今天，这道题就“到期”，出现在上面的列表里。
4. 同一天里再次给同一道题打分，以最后一次为准（点错了可以直接改）。日期按本机时区的日历日计算。

{schedule_table(box_days)}

答对的题间隔越拉越长，答错的题很快回来，复习时间就花在还没掌握的题上。
"""


def mock_page(entries: list[Entry], page_url: str) -> str:
    """Markdown of the 模拟面试 page."""
    counts: dict[str, int] = {}
    for e in entries:
        counts[e.topic] = counts.get(e.topic, 0) + 1
    boxes = "\n".join(
        f'<label><input type="checkbox" name="topic" value="{html.escape(t)}" checked> {html.escape(t)}（{n} 题）</label>'
        for t, n in counts.items()
    )
    return f"""---
title: 模拟面试
description: 从选定的主题中随机抽题，隐藏答案、每题计时，结束后给出用时与答案链接，并可以给每道题打分计入复习进度。
search:
  exclude: true
---

# 模拟面试

像真正的面试一样：从选定的主题里随机抽几道题，只显示题目、不显示答案，每道题计时。把你的回答说出来（最好录音或对着别人说），然后进入下一题；全部结束后，总结里有每道题的用时和答案链接，可以对照答案给自己打分，分数计入[复习](review.md)进度。

<div class="kb-mock" markdown="0" data-search-exclude>
<form class="kb-mock-setup">
<fieldset class="kb-mock-topics"><legend>主题</legend>
{boxes}
</fieldset>
<div class="q-filters">
<label>题数 <input type="number" name="count" min="1" max="{len(entries)}" step="1" value="5" inputmode="numeric"></label>
<label>每题限时（分钟） <input type="number" name="minutes" min="1" max="60" step="1" value="3" inputmode="numeric"></label>
</div>
<p class="kb-mock-error" role="alert"></p>
<button type="submit" class="md-button md-button--primary">开始模拟面试</button>
</form>
<section class="kb-mock-run" hidden>
<p class="kb-mock-progress"></p>
<h2 class="kb-mock-question" tabindex="-1"></h2>
<p class="kb-mock-meta"></p>
<p>本题用时 <span class="kb-mock-timer" role="timer">0:00</span> <span class="kb-mock-limit"></span></p>
<button type="button" class="md-button md-button--primary kb-mock-next">下一题</button>
<button type="button" class="md-button kb-mock-stop">结束面试</button>
</section>
<section class="kb-mock-summary" hidden>
<h2 tabindex="-1">面试总结</h2>
<p class="kb-mock-total"></p>
<ol class="kb-mock-results"></ol>
<button type="button" class="md-button md-button--primary kb-mock-again">再来一轮</button>
</section>
<ul class="kb-question-pool" hidden>
{question_items(entries, page_url, shown=False)}
</ul>
</div>
"""
