"""Pure helpers for build-time math: find arithmatex formulas, render them with KaTeX, locate errors.

`KatexRenderer` drives one long-lived Node process (hooks/katex_render.js) running the pinned KaTeX.
Nothing here imports MkDocs.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# pymdownx.arithmatex (generic mode) wraps inline math in a span and display math in a div.
FORMULA = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])</(?P=tag)>',
    re.S,
)


# The options hooks/katex_render.js passes to KaTeX, as part of every cache key: a change re-renders.
RENDER_OPTIONS = "htmlAndMathml;throwOnError;strict=error;trust=false"


class KatexError(Exception):
    """A formula KaTeX cannot render, or KaTeX itself missing."""


@dataclass(frozen=True)
class Formula:
    tex: str
    display: bool

    def key(self, salt: str) -> str:
        return hashlib.sha256(f"{salt}\0{int(self.display)}\0{self.tex}".encode()).hexdigest()


def find_formulas(content: str) -> list[tuple[re.Match, Formula]]:
    """Every arithmatex formula of a page's HTML with its (unescaped) TeX."""
    found = []
    for match in FORMULA.finditer(content):
        display = match.group("display") is not None
        tex = html.unescape(match.group("display") if display else match.group("inline")).strip()
        found.append((match, Formula(tex, display)))
    return found


def replace_formulas(content: str, rendered: dict[Formula, str]) -> str:
    """Swap each formula for its KaTeX HTML, keeping the wrapper (display math scrolls in it)."""

    def swap(match: re.Match) -> str:
        display = match.group("display") is not None
        tex = html.unescape(match.group("display") if display else match.group("inline")).strip()
        tag = match.group("tag")
        return f'<{tag} class="arithmatex">{searchable(rendered[Formula(tex, display)])}</{tag}>'

    return FORMULA.sub(swap, content)


VISUAL = '<span class="katex-html" aria-hidden="true">'


def searchable(katex_html: str) -> str:
    """Keep KaTeX's visual layer out of the search index: the MathML (with the TeX) says it once.

    The layer is wrapped in a custom element marked data-search-exclude. Material's index parser
    matches elements by tag name, so a closing </span> inside an excluded <span> would end the
    exclusion early; no other element in KaTeX's output is named kb-math-visual.
    """
    start = katex_html.find(VISUAL)
    if start < 0:
        return katex_html
    closing = 2 if katex_html.startswith('<span class="katex-display">') else 1  # katex(-display) spans
    end = len(katex_html) - closing * len("</span>")
    return (
        katex_html[:start]
        + "<kb-math-visual data-search-exclude>"
        + katex_html[start:end]
        + "</kb-math-visual>"
        + katex_html[end:]
    )


_NOT_TEXT = re.compile(r"<(script|style|code|pre|annotation|kb-math-visual)\b[^>]*>.*?</\1>", re.S)
_KATEX = re.compile(r'<span class="katex(?:-display)?">.*?</math></span>', re.S)

# TeX that reached a page unrendered, in the order it is looked for: (pattern, what it is, how to fix).
_LEFTOVERS = (
    (
        re.compile(r"\$\$|\\\(|\\\["),
        "formula was not recognised as math",
        "put a $$ block in its own paragraph with no blank line inside, indented like the text around it "
        "(4 spaces inside a list item or an admonition)",
    ),
    (
        re.compile(r"\$[^$\n]*?(?:\\[A-Za-z]|[_^{}])[^$\n]*?\$|\$\s[^$\n]*?\$"),
        "TeX between dollar signs was not recognised as math",
        "write $x$ with no space after the opening $ or before the closing $; write \\$ for a literal dollar sign",
    ),
    (
        re.compile(r"\\(?:begin|end)\{[A-Za-z*]+\}"),
        "a TeX environment outside math",
        "put \\begin{…}…\\end{…} inside a $$ … $$ block",
    ),
    (
        re.compile(r"\\[A-Za-z]{2,}"),
        "a TeX command outside math",
        "wrap the formula in $…$; if it is literal text (code, a path), put it in backticks",
    ),
)


@dataclass(frozen=True)
class Leftover:
    """Unrendered TeX found in a rendered page: the text itself, what it is and how to fix it."""

    text: str
    what: str
    fix: str


def visible_text(content: str) -> str:
    """The text a reader sees outside code and rendered formulas, with tags removed and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", _NOT_TEXT.sub("", _KATEX.sub("", content))))


def leftover_tex(content: str) -> Leftover | None:
    """The first TeX that reached the page unrendered (outside code and rendered formulas), or None."""
    text = visible_text(content)
    for pattern, what, fix in _LEFTOVERS:
        match = pattern.search(text)
        if match:
            delimiter = match.group(0) in ("$$", "\\(", "\\[")  # show the TeX after it, as the source has it
            shown = text[match.end() : match.end() + 60].split("\n$$")[0] if delimiter else match.group(0)
            return Leftover(shown.strip(), what, fix)
    return None


def _normalized_lines(text: str) -> list[str]:
    """Lines without their indentation or blockquote markers: formulas sit in admonitions, lists, tabs."""
    return [re.sub(r"^[\s>]*", "", line).rstrip() for line in text.split("\n")]


def source_line(source: str, tex: str, position: int | None = None) -> int:
    """1-based line of the page source where a formula (or its character `position`, 1-based as KaTeX
    reports it) stands.

    Indentation is ignored, so a formula inside an admonition, a list item, a tab or a footnote is found
    where it is written; inline math is looked up with its dollar signs first, so `x` is not found inside
    another formula. Returns 1 if the formula cannot be found.
    """
    lines = _normalized_lines(source)
    flat = "\n".join(lines)
    wanted = "\n".join(line for line in _normalized_lines(tex.strip()))
    offset = tex.strip()[: position - 1].count("\n") if position else 0  # KaTeX counts from 1
    candidates = [f"${wanted}$", f"\\({wanted}\\)", wanted]
    first = next((line for line in wanted.split("\n") if line.strip()), wanted)
    candidates += [first, first[:40]]
    for candidate in filter(None, candidates):
        index = flat.find(candidate)
        if index >= 0:
            return flat.count("\n", 0, index) + 1 + offset
    return 1


_POSITION = re.compile(r"at position (\d+)")
_HINTS = (
    (
        re.compile(r"\\(?:label|eqref|ref)\b"),
        "KaTeX has no \\label, \\ref or \\eqref: number an equation with \\tag{1} and refer to it in words",
    ),
    (re.compile(r"strict mode"), "KaTeX accepts this only outside strict mode: e.g. Chinese text goes in \\text{…}"),
)


def error_position(message: str) -> int | None:
    """The character position KaTeX reports in a parse error (1-based), if any."""
    match = _POSITION.search(message)
    return int(match.group(1)) if match else None


def error_hint(tex: str, message: str) -> str:
    """A specific fix for a KaTeX error, when one is known, else the general one."""
    for pattern, hint in _HINTS:
        if pattern.search(tex) or pattern.search(message):
            return hint
    return "fix the TeX"


class KatexRenderer:
    """One Node process rendering many formulas; start lazily, close when the build ends."""

    def __init__(self, script: Path, node_modules: Path, macros: dict[str, str]):
        self.script, self.node_modules, self.macros = script, node_modules, macros
        self.process: subprocess.Popen | None = None

    @property
    def version(self) -> str:
        package = self.node_modules / "katex" / "package.json"
        if not package.exists():
            raise KatexError("KaTeX is not installed — run `make install` (npm ci) first")
        return json.loads(package.read_text())["version"]

    def _start(self) -> subprocess.Popen:
        node = shutil.which("node")
        if node is None:
            raise KatexError("Node.js is needed to render formulas — install it (e.g. apt-get install nodejs)")
        self.version  # noqa: B018 - fails early with a clear message when KaTeX is missing
        return subprocess.Popen(
            [node, str(self.script), json.dumps(self.macros)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=self.node_modules.parent,
            bufsize=1,
        )

    def render(self, formulas: list[Formula]) -> dict[Formula, str | KatexError]:
        """Render a batch; each formula maps to its HTML or to the KaTeX error."""
        if not formulas:
            return {}
        if self.process is None:
            self.process = self._start()
        requests = "".join(
            json.dumps({"id": i, "tex": f.tex, "display": f.display}) + "\n" for i, f in enumerate(formulas)
        )
        self.process.stdin.write(requests)
        self.process.stdin.flush()
        results = {}
        for _ in formulas:
            reply = json.loads(self.process.stdout.readline())
            formula = formulas[reply["id"]]
            results[formula] = reply["html"] if "html" in reply else KatexError(reply["error"])
        return results

    def close(self) -> None:
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait(timeout=10)
            self.process = None
