"""Pure helpers for the reader features built on question headings: collect every question of the
site, write the question index page and the random-question JSON, and mark up a page's questions
(difficulty badges, answers wrapped for self-test mode). Nothing here imports MkDocs.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from page_rules import Question, find_questions, split_front_matter  # noqa: F401 (re-exported)
from question_sources import Citation, frequency, tooltip

LEVEL_CLASSES = {"基础": "basic", "进阶": "intermediate", "深入": "advanced"}
FREQ_CLASSES = {"高频": "high", "中频": "medium", "低频": "low"}

# attr_list writes attributes in sorted order: level= may come before id=.
_H2 = re.compile(r'<h2(?P<attrs>[^>]*?)\sid="(?P<id>[^"]+)"(?P<rest>[^>]*)>(?P<inner>.*?)</h2>', re.S)
_LEVEL_ATTR = re.compile(r'\slevel="[^"]*"')


@dataclass(frozen=True)
class Entry:
    """A question as the index, the random button and the Anki deck see it."""

    id: str
    title: str
    level: str
    page: str  # source path under docs/, e.g. transformer/attention.md
    url: str  # site-relative URL of the question, e.g. transformer/attention/#why-scale
    page_title: str
    topic: str
    tags: tuple[str, ...]
    line: int = 0  # of the heading in the page source (the Anki answer starts below it)
    citations: tuple[Citation, ...] = ()  # public collections that ask it (data/question-sources.yml)

    @property
    def freq(self) -> str | None:
        """高频/中频/低频, computed from the citations."""
        return frequency(self.citations)


def page_meta(text: str) -> dict:
    import yaml

    raw, _ = split_front_matter(text)
    meta = yaml.safe_load(raw) if raw else {}
    return meta if isinstance(meta, dict) else {}


def collect(
    pages: list[tuple[str, str, str, str]], citations: dict[str, tuple[Citation, ...]] | None = None
) -> list[Entry]:
    """Entries from (src path, page url, topic, source text) of every question page, in page order,
    each with the public sources that ask it (`citations` by question id)."""
    entries = []
    for src, url, topic, text in pages:
        meta = page_meta(text)
        questions, _ = find_questions(text, src)  # page_checks reports the errors
        entries += [_entry(q, src, url, topic, meta, (citations or {}).get(q.id, ())) for q in questions]
    return entries


def _entry(q: Question, src: str, url: str, topic: str, meta: dict, cited: tuple[Citation, ...]) -> Entry:
    tags = tuple(meta.get("tags") or ())
    return Entry(q.id, q.title, q.level, src, f"{url}#{q.id}", meta.get("title", src), topic, tags, q.line, cited)


def index_page(entries: list[Entry], tags: list[str]) -> str:
    """Markdown of the generated 题目索引 page: every question grouped by topic, with filters."""
    levels = "".join(f'<option value="{lv}">{lv}</option>' for lv in LEVEL_CLASSES)
    tag_options = "".join(f'<option value="{html.escape(t)}">{html.escape(t)}</option>' for t in tags)
    parts = [
        "---",
        "title: 题目索引",
        "description: 全站所有面试题的索引，按主题分组，可按标签与难度筛选；由构建自动生成。",
        "---",
        "",
        "# 题目索引",
        "",
        f"全站共 {len(entries)} 道题，由构建时从各页面的问题标题自动生成。点击题目跳到答案；"
        "可以按标签与难度筛选，或者点右上角的骰子随机抽一道题。",
        "",
        '<div class="q-filters" markdown="0">',
        '<label>标签 <select id="q-filter-tag"><option value="">全部</option>' + tag_options + "</select></label>",
        '<label>难度 <select id="q-filter-level"><option value="">全部</option>' + levels + "</select></label>",
        '<span id="q-filter-count" aria-live="polite"></span>',
        "</div>",
        "",
    ]
    for topic in dict.fromkeys(e.topic for e in entries):
        parts += [f"## {topic}", "", '<ul class="q-index" markdown="0">']
        for e in (e for e in entries if e.topic == topic):
            data = f'data-level="{e.level}" data-tags="{html.escape("|".join(e.tags))}"'
            badge = badges_html(e.level, e.citations)
            link = f'<a href="../{e.url}">{html.escape(e.title)}</a>'
            parts.append(f'<li {data}>{link} {badge} <span class="q-page">{html.escape(e.page_title)}</span></li>')
        parts += ["</ul>", ""]
    return "\n".join(parts)


def random_index(entries: list[Entry]) -> str:
    """JSON of every question, for scripts (the "随机一题" button): id, url, title, topic (its nav
    section), level, the page's tags and the frequency (高频/中频/低频, or null without sources)."""
    return json.dumps(
        [
            {
                "id": e.id,
                "url": e.url,
                "title": e.title,
                "topic": e.topic,
                "level": e.level,
                "tags": list(e.tags),
                "freq": e.freq,
            }
            for e in entries
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def badges_html(level: str, citations: tuple[Citation, ...] = (), sources: bool = True) -> str:
    """Difficulty and frequency badges, kept out of the search index. With `sources`, the frequency
    badge's tooltip names the public sources it was computed from (Material mounts a tooltip for
    each at page load: lists of hundreds of questions leave it out).

    A custom element holds them: Material's index parser matches excluded elements by tag name, so an
    excluded <span> would be released by the first </span> inside it.
    """
    spans = f'<span class="q-badge q-level-{LEVEL_CLASSES.get(level, "basic")}">{level}</span>' if level else ""
    if freq := frequency(citations):
        tip = f' title="{html.escape(tooltip(citations))}"' if sources else ""
        spans += f'<span class="q-badge q-freq q-freq-{FREQ_CLASSES[freq]}"{tip}>{freq}</span>'
    return f"<kb-badges data-search-exclude>{spans}</kb-badges>" if spans else ""


# Part of the page, not added by script: a button inserted after first paint would shift the text.
RANDOM_TOPIC_BUTTON = (
    '<button type="button" class="kb-random-topic md-button" data-search-exclude>本主题随机一题</button>\n'
)


def mark_up(content: str, questions: dict[str, Entry]) -> str:
    """Badges after each question title; each answer wrapped in <div class="q-answer"> for self-test;
    the "random question of this topic" button (reader.js) before the first question."""
    matches = list(_H2.finditer(content))
    if not matches:
        return content
    out, cursor = [content[: matches[0].start()], RANDOM_TOPIC_BUTTON], matches[0].start()
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(content)
        question = questions.get(match.group("id"))
        if question is None:
            out.append(content[match.start() : end])
        else:
            attrs = _LEVEL_ATTR.sub("", match.group("attrs") + match.group("rest"))  # our syntax, not HTML
            heading = f'<h2 id="{match.group("id")}"{attrs} class="q-title">{match.group("inner")}'
            heading += f"{badges_html(question.level, question.citations)}</h2>"
            answer = content[match.end() : end]
            out.append(f'{heading}\n<div class="q-answer" data-question="{question.id}">{answer}</div>\n')
        cursor = end
    return "".join(out) + content[cursor:]


def short_answer(text: str, question: Question | Entry) -> str:
    """The spoken answer right under a question heading: its first paragraphs, as Markdown."""
    lines = text.split("\n")[question.line :]
    kept: list[str] = []
    for line in lines:
        if re.match(r"^(#{1,6}\s|```|~~~|!!!|\?\?\?|\$\$|\||<|---)", line.strip()) and any(k.strip() for k in kept):
            break
        if re.match(r"^#{1,6}\s", line):
            break
        kept.append(line)
    return "\n".join(kept).strip()


def expand_macros(tex: str, macros: dict[str, str]) -> str:
    """TeX with the site's KaTeX macros (mkdocs.yml extra.katex_macros) replaced by their definitions,
    repeatedly, so that a program without them (Anki's MathJax) renders it. `\\R` does not touch `\\Rightarrow`.
    """
    pattern = re.compile("|".join(re.escape(name) + r"(?![A-Za-z])" for name in sorted(macros, key=len, reverse=True)))
    for _ in range(10):  # macros may use macros; ten levels is far more than the site has
        expanded = pattern.sub(lambda m: macros[m.group(0)], tex) if macros else tex
        if expanded == tex:
            return tex
        tex = expanded
    raise ValueError(f"site macros expand without end in: {tex[:80]}")


def answer_html(markdown_text: str, macros: dict[str, str] | None = None) -> str:
    """HTML for an Anki card: formulas stay as \\( \\) and \\[ \\], which Anki renders itself, with the
    site's macros expanded (Anki does not know them)."""
    import markdown

    return markdown.markdown(
        expand_macros(markdown_text, macros or {}),
        extensions=["pymdownx.arithmatex", "md_in_html"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )


ANKI_MODEL_ID = 1_607_392_319  # fixed: re-imported decks update notes instead of duplicating them
ANKI_DECK_ID = 2_059_400_110


def write_deck(cards: list[tuple[Entry, str]], path, title: str) -> int:
    """An Anki package with one note per question (front: question; back: answer); returns the count."""
    import genanki

    model = genanki.Model(
        ANKI_MODEL_ID,
        "ML/NLP 面试题",
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Link"}],
        templates=[
            {
                "name": "Card",
                "qfmt": "<div class=question>{{Question}}</div>",
                "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}<p class=link>{{Link}}</p>",
            }
        ],
        css=".card { font-family: system-ui, sans-serif; font-size: 18px; text-align: left; }",
    )
    deck = genanki.Deck(ANKI_DECK_ID, title)
    for entry, answer in cards:
        # hierarchical, apart from page tags: 主题::大模型::训练
        topic_tag = "主题::" + "::".join(re.sub(r"\s+", "_", part) for part in entry.topic.split(" · "))
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[html.escape(entry.title), answer, html.escape(entry.url)],
                guid=genanki.guid_for(entry.id),
                tags=[topic_tag, *(re.sub(r"\s+", "_", t) for t in entry.tags), entry.level],
            )
        )
    genanki.Package(deck).write_to_file(str(path))
    return len(cards)
