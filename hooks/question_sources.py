"""Pure helpers for the frequency badges: which public interview collections ask each question.

`data/question-sources.yml` lists the public sources (interview-question collections and write-ups)
and, per question id, where each of them asks it (a path in the collection's repository, or a URL):

    sources:
      wdndev:
        title: wdndev/llm_interview_note
        url: https://github.com/wdndev/llm_interview_note
    questions:
      why-scale-by-sqrt-dk:
        wdndev: 02.大语言模型架构/1.attention/1.attention.md

The badge is computed, never typed: 3 or more distinct sources 高频, 2 中频, 1 低频, none no badge.
Nothing here imports MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

# (at least this many distinct public sources, badge); the first rule that holds wins.
FREQUENCY_RULE = ((3, "高频"), (2, "中频"), (1, "低频"))


class SourcesError(Exception):
    """The evidence file is malformed; the message names its file and line."""


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    url: str


@dataclass(frozen=True)
class Citation:
    """One public source that asks a question, and where in it."""

    source: Source
    where: str


def frequency(citations: tuple[Citation, ...]) -> str | None:
    """高频/中频/低频 from the number of distinct sources that ask a question; None if none does."""
    count = len({c.source.key for c in citations})
    return next((badge for least, badge in FREQUENCY_RULE if count >= least), None)


def load_sources(text: str, path: str) -> tuple[dict[str, tuple[Citation, ...]], dict[str, int]]:
    """Citations per question id, and the line of each id in the file.

    Raises SourcesError naming `path:line` for bad YAML, a source without title or url, a citation of
    an undeclared source, an empty citation, or a question listed twice.
    """
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SourcesError(f"{path}:{(mark.line + 1) if mark else 1}: not valid YAML — fix the syntax") from error
    top = _mapping(root, path, "the file")
    sources: dict[str, Source] = {}
    for key, node in _mapping(top.get("sources"), path, "sources").items():
        fields = {k: v.value for k, v in _mapping(node, path, f"source {key}").items()}
        if not str(fields.get("title", "")).strip() or not str(fields.get("url", "")).startswith("https://"):
            raise SourcesError(f"{path}:{_line(node)}: source {key!r} needs a title and an https:// url")
        sources[key] = Source(key, fields["title"], fields["url"])
    citations: dict[str, tuple[Citation, ...]] = {}
    lines: dict[str, int] = {}
    questions = top.get("questions")
    for key_node, node in questions.value if questions is not None else []:
        qid = key_node.value
        if qid in lines:
            raise SourcesError(f"{path}:{_line(key_node)}: question {qid!r} is listed twice (also line {lines[qid]})")
        lines[qid] = _line(key_node)
        found = []
        for source_key, where in _mapping(node, path, f"question {qid}").items():
            if source_key not in sources:
                raise SourcesError(
                    f"{path}:{_line(where)}: {qid}: source {source_key!r} is not declared under sources — add it there"
                )
            if not isinstance(where.value, str) or not where.value.strip():
                raise SourcesError(f"{path}:{_line(where)}: {qid}: say where {source_key} asks it (a path or a URL)")
            found.append(Citation(sources[source_key], where.value.strip()))
        citations[qid] = tuple(found)
    return citations, lines


def _mapping(node, path: str, what: str) -> dict:
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise SourcesError(f"{path}:{_line(node)}: {what} must be a mapping of key: value")
    return {k.value: v for k, v in node.value}


def _line(node) -> int:
    return node.start_mark.line + 1


def tooltip(citations: tuple[Citation, ...]) -> str:
    """The badge's tooltip: how many public sources ask the question, and which."""
    titles = list(dict.fromkeys(c.source.title for c in citations))
    return f"{len(titles)} 份公开面试题集问到：" + "、".join(titles)
