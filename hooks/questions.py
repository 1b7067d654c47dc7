"""Build hook: reader features built on the question headings of every page.

- difficulty and frequency badges after each question, and each answer wrapped for self-test mode
  (overrides/assets/javascripts/reader.js hides and reveals them); the frequency comes from the public
  sources listed per question in data/question-sources.yml (question_sources.py);
- 题目索引 (questions.md), generated from the headings, never maintained by hand;
- assets/questions.json for the "随机一题" button;
- an Anki deck (downloads/ml-nlp-interview.apkg) with one note per question.
Helpers: question_bank.py.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# MkDocs puts this folder on sys.path: sibling modules import by bare name.
import question_bank as qb
import question_sources as qs

log = logging.getLogger("mkdocs.hooks.questions")

INDEX_PAGE = "questions.md"
RANDOM_INDEX = "assets/questions.json"
DECK = "downloads/ml-nlp-interview.apkg"
SOURCES = "data/question-sources.yml"

_state: dict = {}


TOPIC_SEPARATOR = " · "


def topics(nav) -> dict[str, str]:
    """Page path -> the nav sections that hold it, outermost first: "大模型 · 训练" for a page in the
    训练 section of 大模型, "Transformer" for a page directly in Transformer."""
    found: dict[str, str] = {}

    def walk(items, sections):
        for item in items or []:
            if isinstance(item, str):
                found[item] = TOPIC_SEPARATOR.join(sections)
            elif isinstance(item, dict):
                for title, value in item.items():
                    if isinstance(value, list):
                        walk(value, [*sections, title])
                    else:
                        found[value] = TOPIC_SEPARATOR.join(sections) or title

    walk(nav, [])
    return found


def load_citations(root: Path) -> tuple[dict[str, tuple[qs.Citation, ...]], dict[str, int]]:
    """Public sources per question id from data/question-sources.yml, and each id's line there
    (both empty if the file is absent). Raises PluginError naming the file and line if it is malformed."""
    path = root / SOURCES
    if not path.exists():
        return {}, {}
    try:
        return qs.load_sources(path.read_text(encoding="utf-8"), SOURCES)
    except qs.SourcesError as error:
        raise PluginError(str(error)) from error


def on_files(files, config):
    section_of = topics(config.nav)
    pages = [
        (f.src_uri, f.url, section_of.get(f.src_uri, f.src_uri.split("/")[0]), f.content_string)
        for f in files.documentation_pages()
        if f.src_uri.endswith(".md") and "/" in f.src_uri and not f.generated_by
    ]
    citations, lines = load_citations(Path(config.config_file_path).parent)
    entries = qb.collect(pages, citations)
    ids = {e.id for e in entries}
    stale = [
        f"{SOURCES}:{line}: no page has a question with id {q!r} — fix the id"
        for q, line in lines.items()
        if q not in ids
    ]
    if stale:
        raise PluginError("\n".join(stale))
    sources = {src: text for src, _, _, text in pages}
    _state.update(entries=entries, sources=sources, by_page={})
    for entry in entries:
        _state["by_page"].setdefault(entry.page, {})[entry.id] = entry
    tags = list((config.extra.get("tags") or {}).keys())
    files.append(File.generated(config, INDEX_PAGE, content=qb.index_page(entries, tags)))
    files.append(File.generated(config, RANDOM_INDEX, content=qb.random_index(entries)))
    return files


def on_page_content(html, page, config, files):
    questions = _state["by_page"].get(page.file.src_uri)
    return qb.mark_up(html, questions) if questions else html


def on_post_build(config):
    sources = _state["sources"]
    macros = dict(config.extra.get("katex_macros") or {})
    cards = [(e, qb.answer_html(qb.short_answer(sources[e.page], e), macros)) for e in _state["entries"]]
    path = Path(config.site_dir) / DECK
    path.parent.mkdir(parents=True, exist_ok=True)
    count = qb.write_deck(cards, path, config.site_name)
    log.info(f"questions: {len(_state['entries'])} indexed, {count} Anki notes in {DECK}")
