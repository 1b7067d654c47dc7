"""Pure helpers for the glossary: load and check the entries, write abbreviations and the page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

KEYS = {"term", "full", "zh", "aliases"}


class GlossaryError(Exception):
    """Bad glossary input; the message names the file and line."""


@dataclass(frozen=True)
class Entry:
    term: str
    full: str
    zh: str
    aliases: tuple[str, ...] = field(default_factory=tuple)

    @property
    def tooltip(self) -> str:
        return f"{self.full}（{self.zh}）" if self.zh else self.full

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a reader may search for."""
        return tuple(dict.fromkeys(n for n in (self.term, self.full, self.zh, *self.aliases) if n))


def load_glossary(folder: Path) -> list[Entry]:
    """All entries of folder/*.yml, sorted by term; duplicates and unknown keys are errors."""
    entries: dict[str, tuple[Entry, str]] = {}
    for path in sorted(folder.glob("*.yml")):
        for where, item in _items(path):
            entry = _entry(item, where)
            if entry.term in entries:
                raise GlossaryError(
                    f"{where}: term {entry.term!r} is already defined at {entries[entry.term][1]} — keep one entry"
                )
            entries[entry.term] = (entry, where)
    return sorted((e for e, _ in entries.values()), key=lambda e: e.term.lower())


def _items(path: Path):
    """(file:line, mapping) for each list item of a YAML file."""
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise GlossaryError(f"{path}:{line}: invalid YAML — {getattr(error, 'problem', error)}") from error
    if root is None:
        return
    if not isinstance(root, yaml.SequenceNode):
        raise GlossaryError(f"{path}:1: a glossary file is a YAML list of entries")
    for node in root.value:
        yield f"{path}:{node.start_mark.line + 1}", yaml.safe_load(yaml.serialize(node))


def _entry(item, where: str) -> Entry:
    if not isinstance(item, dict):
        raise GlossaryError(f"{where}: each entry is a mapping with term, full, zh (and optional aliases)")
    unknown = set(item) - KEYS
    missing = {"term", "full"} - set(item)
    if unknown or missing:
        raise GlossaryError(
            f"{where}: entry {item.get('term')!r} has unknown keys {sorted(unknown)} or lacks {sorted(missing)} — "
            f"use only {sorted(KEYS)}"
        )
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list):
        raise GlossaryError(f"{where}: aliases of {item['term']!r} must be a list")
    return Entry(str(item["term"]), str(item["full"]), str(item.get("zh") or ""), tuple(map(str, aliases)))


def abbreviation_lines(entries: list[Entry]) -> str:
    """pymdownx/abbr definitions, one per term."""
    return "\n".join(f"*[{e.term}]: {e.tooltip}" for e in entries)


_ABBR = re.compile(r"<abbr title=\"([^\"]*)\">(.*?)</abbr>", re.S)
_SECTION = re.compile(r"(?=<h2[\s>])")


def first_abbreviations(page_html: str) -> str:
    """The page's HTML with only the first tooltip (<abbr>) of each term in each section (from one
    <h2> to the next) kept; later ones become plain text. A reader who lands on a question still gets
    the tooltip there, and a page mentioning FFN forty times does not mount forty tooltips at load
    (Material's content.tooltips: a long main-thread task on a phone)."""

    def section(part: str) -> str:
        seen: set[tuple[str, str]] = set()

        def keep_first(match: re.Match) -> str:
            key = (match[1], match[2])
            if key in seen:
                return match[2]
            seen.add(key)
            return match[0]

        return _ABBR.sub(keep_first, part)

    return "".join(section(part) for part in _SECTION.split(page_html))


def glossary_page(entries: list[Entry]) -> str:
    """Markdown of the generated 术语表 page."""
    rows = "\n".join(f"| **{e.term}** | {e.full} | {e.zh} | {'、'.join(e.aliases)} |" for e in entries)
    return f"""---
title: 术语表
description: 本站使用的缩写与术语：英文全称、中文名与常见别名，全站悬停提示与搜索同义词都来自这张表。
---

# 术语表

本站页面中出现的缩写都会显示悬停解释，搜索时中英文名称与别名可以互相找到。条目来自仓库中的 `snippets/glossary/*.yml`，补充术语请直接修改这些文件。

| 缩写 | 英文全称 | 中文 | 别名 |
| --- | --- | --- | --- |
{rows}
"""


def load_terms(path: Path) -> list[Entry]:
    """Terms that are not abbreviations (search synonyms only), one a line: names separated by " | "
    (# starts a comment). Raises GlossaryError naming the line if it has fewer than two names. A
    missing file has none."""
    terms: list[Entry] = []
    if not path.exists():
        return terms
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        names = [n.strip() for n in text.split("|") if n.strip()]
        if len(names) < 2:
            raise GlossaryError(f"{path}:{number}: write a term and its other names separated by ' | '")
        terms.append(Entry(names[0], "", "", tuple(names[1:])))
    return terms


def mentions(text: str, name: str) -> bool:
    """Whether text mentions a name: whole words for Latin names (any case), substrings for Chinese."""
    if _CJK.search(name):
        return name in text
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(name)}(?![A-Za-z0-9])", text, re.I) is not None


_CJK = re.compile(r"[\u4e00-\u9fff]")


def prefix_tree(names: list[str]) -> str:
    """A regex alternation of the names (case-folded) nested by shared prefix: at each position the
    regex engine follows one branch instead of trying every name (over the search index: 0.98 s -> 0.08 s),
    and, as with longest-first alternation, it prefers the longest name that fits."""
    tree: dict = {}
    for name in names:
        node = tree
        for char in name.lower():
            node = node.setdefault(char, {})
        node[""] = {}  # a name ends here

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


class SynonymFinder:
    """Finds, for many texts, the glossary entries each mentions: one compiled pattern for all Latin
    names, substring tests for Chinese ones (the search index has hundreds of sections)."""

    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.owners: dict[str, list[int]] = {}
        for index, entry in enumerate(entries):
            for name in entry.names:
                key = name if _CJK.search(name) else name.lower()
                self.owners.setdefault(key, []).append(index)
        latin = [n for n in self.owners if not _CJK.search(n)]
        self.latin = re.compile(f"(?<![A-Za-z0-9])({prefix_tree(latin)})(?![A-Za-z0-9])", re.I) if latin else None
        self.chinese = [n for n in self.owners if _CJK.search(n)]

    def __call__(self, text: str) -> list[str]:
        """Names of the entries the text mentions that the text does not contain yet."""
        found = {m.lower() for m in self.latin.findall(text)} if self.latin else set()
        found |= {n for n in self.chinese if n in text}
        mentioned = sorted({i for name in found for i in self.owners[name]})
        names: list[str] = []
        for index in mentioned:
            for name in self.entries[index].names:
                key = name if _CJK.search(name) else name.lower()
                if key not in found and name not in names:
                    names.append(name)
        return names


def synonyms(text: str, entries: list[Entry]) -> list[str]:
    """Names of the entries a text mentions that the text does not contain yet."""
    return SynonymFinder(entries)(text)
