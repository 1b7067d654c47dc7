"""Pure checks of a page's Markdown source. Each returns messages in the site's one format:
`docs/<page>.md:<line>: <what is wrong> — <how to fix>`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

# Sibling module: MkDocs (and the tests) put hooks/ on sys.path.
from exec_blocks import SnippetError, find_fences

FRONT_MATTER_KEYS = {"title", "description", "tags", "hide", "search", "reviewed"}
LEVELS = ("基础", "进阶", "深入")
CLOSING_SECTIONS = {"相关条目", "参考文献"}

_QUESTION = re.compile(r"^## (?P<title>.+?)\s*(?:\{(?P<attrs>[^}]*)\})?\s*$")
_ID = re.compile(r"(?:^|\s)#(?P<id>[^\s}]+)")
_LEVEL = re.compile(r"(?:^|\s)level=\"?(?P<value>[^\s\"}]+)\"?")
_FREQ = re.compile(r"(?:^|\s)freq=")
_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_INLINE_CODE = re.compile(r"(`+).+?\1")
_UNSAFE = [
    (
        re.compile(r"<script\b", re.I),
        "raw <script> in a page",
        "pages carry no scripts; use overrides/ for site JavaScript",
    ),
    (re.compile(r"<iframe\b", re.I), "raw <iframe> in a page", "link to the content instead of embedding it"),
    (re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I), "inline event handler (on…=) in a page", "remove it"),
    (re.compile(r"javascript:", re.I), "javascript: link in a page", "link to a page or an https URL"),
]
_REMOTE_ASSET = [
    re.compile(r"!\[[^\]]*\]\(\s*<?(?:https?:)?//", re.I),
    re.compile(r"<(?:img|script|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//", re.I),
    re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//", re.I),
]


def split_front_matter(text: str) -> tuple[str | None, int]:
    """The YAML text of the front matter (None if absent) and the 1-based line where it starts."""
    if not text.startswith("---\n"):
        return None, 1
    end = text.find("\n---", 3)
    if end < 0:
        return None, 1
    return text[4 : end + 1], 2


def check_front_matter(
    text: str, page: str, allowed_tags: set[str], reviewed_by: datetime.date | None = None
) -> list[str]:
    """Errors of a page's front matter.

    `reviewed_by`: for a content page, the build date; the page must then carry `reviewed: YYYY-MM-DD`
    (the day its claims were last checked against their sources), a real date not after it.
    """
    raw, first = split_front_matter(text)
    if raw is None:
        return [f"{page}:1: no front matter — start the page with ---, title, description, tags and ---"]
    try:
        node = yaml.compose(raw)
        meta = yaml.safe_load(raw) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first + (mark.line if mark else 0)
        return [f"{page}:{line}: front matter is not valid YAML ({getattr(error, 'problem', error)}) — fix the syntax"]
    if not isinstance(meta, dict):
        return [f"{page}:{first}: front matter must be key: value pairs — write title: …, description: …"]
    lines = {key.value: first + key.start_mark.line for key, _ in node.value} if node else {}
    errors = [
        f"{page}:{lines[key]}: unknown front matter key {key!r} — use only {', '.join(sorted(FRONT_MATTER_KEYS))}"
        for key in meta
        if key not in FRONT_MATTER_KEYS
    ]
    for key in ("title", "description"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            errors.append(f"{page}:{lines.get(key, first)}: front matter lacks {key!r} — add a one-line {key}")
    if reviewed_by is not None:
        errors += check_reviewed(meta.get("reviewed"), f"{page}:{lines.get('reviewed', first)}", reviewed_by)
    tags = meta.get("tags", [])
    if not isinstance(tags, list):
        errors.append(f"{page}:{lines.get('tags', first)}: tags must be a list — write one '- tag' per line")
    else:
        for tag in tags:
            if tag not in allowed_tags:
                errors.append(
                    f"{page}:{lines.get('tags', first)}: tag {tag!r} is not in the site's tag list — "
                    "use a tag from extra.tags in mkdocs.yml (or add it there)"
                )
    return errors


def check_reviewed(value, where: str, today: datetime.date) -> list[str]:
    """Errors of a `reviewed` date: missing, not a date, or after `today`."""
    how = "add reviewed: YYYY-MM-DD, the day the page was last checked against its sources"
    if value is None:
        return [f"{where}: front matter lacks 'reviewed' — {how}"]
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        return [f"{where}: reviewed: {value!r} is not a date — {how}"]
    if value > today:
        return [f"{where}: reviewed: {value} is in the future — use the day the review was done"]
    return []


def prose_lines(text: str, page: str) -> Iterator[tuple[int, str]]:
    """(1-based line, text) of the lines outside fenced code, with inline code blanked out."""
    try:
        fenced = {i for fence in find_fences(text, page) for i in range(fence.start, fence.end + 1)}
    except SnippetError:
        fenced = set()  # the snippets hook reports the unclosed fence
    _, first = split_front_matter(text)
    skip = text.find("\n---", 3) if first == 2 else -1
    front_lines = text[: skip + 4].count("\n") + 1 if skip >= 0 else 0
    for index, line in enumerate(text.split("\n")):
        if index in fenced or index < front_lines:
            continue
        yield index + 1, _INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)


@dataclass(frozen=True)
class Question:
    """A question heading: `## 问题？ {#stable-id level=进阶}`."""

    id: str
    title: str
    level: str
    line: int


def find_questions(text: str, page: str) -> tuple[list[Question], list[str]]:
    """The questions of a page, and the errors of its question headings."""
    questions, errors = [], []
    for line_no, line in prose_lines(text, page):
        m = _QUESTION.match(line)
        if not m or m.group("title").strip() in CLOSING_SECTIONS:
            continue
        attrs = m.group("attrs") or ""
        qid, level = _ID.search(attrs), _LEVEL.search(attrs)
        where = f"{page}:{line_no}"
        if not qid:
            errors.append(f"{where}: question heading has no id — end it with {{#a-stable-english-id level=基础}}")
            continue
        if not _KEBAB.match(qid.group("id")):
            errors.append(f"{where}: question id {qid.group('id')!r} is not kebab-case — use lowercase words and -")
        if not level or level.group("value") not in LEVELS:
            errors.append(f"{where}: question has no valid level — add level=基础, level=进阶 or level=深入")
        if _FREQ.search(attrs):
            errors.append(
                f"{where}: freq= is not written by hand — remove it; the frequency badge is computed from "
                "the public sources listed for this id in data/question-sources.yml"
            )
        questions.append(
            Question(qid.group("id"), m.group("title").strip(), level.group("value") if level else "", line_no)
        )
    return questions, errors


_HEADING_MATH = re.compile(r"^#{1,6}\s.*(?<!\\)\$")


def check_headings(text: str, page: str) -> list[str]:
    """Headings are plain text: they feed the table of contents, search results and the question index."""
    return [
        f"{page}:{line_no}: formula in a heading — write it in plain text (e.g. √d_k) and keep math in the body"
        for line_no, line in prose_lines(text, page)
        if _HEADING_MATH.match(line)
    ]


def check_html_safety(text: str, page: str) -> list[str]:
    """Scripts, iframes, event handlers, javascript: links and remote assets in a page's source."""
    errors = []
    for line_no, line in prose_lines(text, page):
        for pattern, what, fix in _UNSAFE:
            if pattern.search(line):
                errors.append(f"{page}:{line_no}: {what} — {fix}")
        if any(p.search(line) for p in _REMOTE_ASSET):
            errors.append(
                f"{page}:{line_no}: remote image, script or stylesheet (hotlink) — "
                "readers in mainland China and offline lose it; draw it (Mermaid, a plot) or add the file to docs/"
            )
    return errors


_TABLE_DELIMITER = re.compile(r"^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(?P<tex>[^$\n]+?)(?<!\\)\$")
PIPE_IN_MATH = "write \\lvert x \\rvert for |x|, \\mid for a conditional bar, \\Vert for a norm"


def table_cells(row: str) -> list[str]:
    """The cells of a table row as Markdown splits it: at every | that is not escaped (code is blanked)."""
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return _UNESCAPED_PIPE.split(row)


def check_tables(text: str, page: str) -> list[str]:
    """Every table row has as many cells as its header; no \\| inside math in a table.

    A | inside a formula splits the cell, and Markdown silently drops the cells past the header's count;
    \\| survives the split but renders as a double bar ‖.
    """
    lines = [(number, re.sub(r"^[ \t>]*", "", line)) for number, line in prose_lines(text, page)]
    errors = []
    index = 0
    while index + 1 < len(lines):
        (_, header), (_, delimiter) = lines[index], lines[index + 1]
        if "|" not in header or not _TABLE_DELIMITER.match(delimiter.strip()) or "-" not in delimiter:
            index += 1
            continue
        width = len(table_cells(header))
        index += 2
        while index < len(lines) and "|" in lines[index][1] and lines[index][1].strip():
            number, row = lines[index]
            cells = table_cells(row)
            has_math = bool(_INLINE_MATH.search(row)) or "$" in row
            if len(cells) != width:
                why = f"table row has {len(cells)} cells but its header has {width}"
                fix = (
                    f"a | inside a formula splits the cell: {PIPE_IN_MATH}" if has_math else "escape a literal | as \\|"
                )
                errors.append(f"{page}:{number}: {why} — {fix}")
            elif any("\\|" in m.group("tex") for m in _INLINE_MATH.finditer(row)):
                errors.append(
                    f"{page}:{number}: \\| inside a formula in a table renders a double bar ‖ — {PIPE_IN_MATH}"
                )
            index += 1
    return errors


def check_display_math(text: str, page: str) -> list[str]:
    """No blank line inside a $$ block: it ends the paragraph, so Markdown never sees the formula."""
    errors, opened, reported = [], None, False
    for number, line in prose_lines(text, page):
        if opened is not None and not line.strip() and not reported:
            errors.append(
                f"{page}:{number}: blank line inside the $$ block opened on line {opened} — "
                "remove it: no blank lines inside $$ … $$"
            )
            reported = True  # one report per block
        for _ in re.findall(r"(?<!\\)\$\$", line):
            opened, reported = (number, False) if opened is None else (None, False)
    return errors


_RENDERED_REMOTE = re.compile(
    r"<(?:img|script|iframe|source|video|audio|embed|link)\b[^>]*?\s(?:src|href)=\"(?P<url>(?:https?:)?//[^\"]+)\"[^>]*>",
    re.I,
)
_TITLE = re.compile(r'\stitle="([^"]+)"')


def remote_assets(html: str) -> list[tuple[str, str]]:
    """(url, the element's title) of every asset a rendered page would load from another host.

    Catches what Markdown extensions add that the source does not show: e.g. an emoji shortcode
    becomes a twemoji image on a CDN.
    """
    found = []
    for match in _RENDERED_REMOTE.finditer(html):
        if match.group(0).lower().startswith("<link") and "stylesheet" not in match.group(0).lower():
            continue  # <link rel="canonical"> and the like are not loaded
        title = _TITLE.search(match.group(0))
        found.append((match.group("url"), title.group(1) if title else ""))
    return found


_MD_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?(?P<target>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REF_DEF = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*<?(?P<target>\S+?)>?(?:\s|$)")  # [^1]: is a footnote
_HTML_URL = re.compile(r"<(?:a|img)\b[^>]*\b(?:href|src)\s*=\s*[\"'](?P<target>[^\"']+)[\"']", re.I)


def find_links(text: str, page: str) -> list[tuple[int, str]]:
    """(line, target) of every link and image in the prose of a page."""
    found = []
    for line_no, line in prose_lines(text, page):
        for pattern in (_MD_LINK, _REF_DEF, _HTML_URL):
            found += [(line_no, m.group("target")) for m in pattern.finditer(line)]
    return found


def is_external(target: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I)) or target.startswith("//")
