"""Pure helpers for runnable code blocks: find them, expand includes, key the cache, render output.

Nothing here imports MkDocs, so every function is unit-tested directly (tests/hooks/).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

PYTHON_LANGS = {"python", "py", "python3"}
DEFAULT_TIMEOUT = 60
RUN_OPTIONS = {"exec", "session", "timeout", "reason"}  # ours: how the block runs
SHOWN_OPTIONS = ("title", "hl_lines", "linenums")  # Material's: how the code is shown, passed through
_ANNOTATION = re.compile(r"#\s*\(\d+\)!?")  # a code annotation marker: `# (1)!`
_LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)\d+\.[ \t]")

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")
_OPTION = re.compile(r'\s*(?P<key>[A-Za-z_][\w-]*)="(?P<value>[^"]*)"')
_INCLUDE = re.compile(r'^[ \t]*--8<--[ \t]+"(?P<target>[^"]+)"[ \t]*$')
_SECTION_MARK = re.compile(r"^\s*#\s*--8<--\s*\[(?:start|end):[\w-]+\]\s*$")
_IMPORT = re.compile(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", re.M)


class SnippetError(Exception):
    """Bad input in a page; the message names the file and line."""


@dataclass
class Fence:
    """A fenced code block of a page: `start`/`end` are 0-based line indexes of its fences."""

    lang: str
    options: dict[str, str]
    indent: str
    start: int
    end: int
    body: str

    @property
    def line(self) -> int:
        """1-based line of the opening fence, as editors show it."""
        return self.start + 1


@dataclass
class Block:
    """A runnable block after includes are expanded."""

    page: str
    fence: Fence
    code: str
    session: str | None
    timeout: float
    includes: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.page}:{self.fence.line}"


def parse_options(info: str, where: str) -> tuple[str, dict[str, str]]:
    """Split a fence info string `python exec="on" session="a"` into language and options."""
    lang, _, rest = info.strip().partition(" ")
    options: dict[str, str] = {}
    pos = 0
    rest = rest.strip()
    while pos < len(rest):
        m = _OPTION.match(rest, pos)
        if not m:
            if lang.lower() in PYTHON_LANGS:
                raise SnippetError(f'{where}: cannot read the options "{rest}" — write them as key="value" pairs')
            return lang, {}
        options[m.group("key")] = m.group("value")
        pos = m.end()
    return lang, options


def find_fences(text: str, page: str) -> list[Fence]:
    """Every top-level fenced block of a Markdown text (a fence inside a longer fence is content)."""
    lines = text.split("\n")
    fences = []
    i = 0
    while i < len(lines):
        m = _FENCE_OPEN.match(lines[i])
        if not m:
            i += 1
            continue
        fence, indent = m.group("fence"), m.group("indent")
        lang, options = parse_options(m.group("info"), f"{page}:{i + 1}")
        closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            j += 1
        if j == len(lines):
            raise SnippetError(f"{page}:{i + 1}: code block is never closed — add a closing {fence}")
        body = "\n".join(_dedent(line, indent) for line in lines[i + 1 : j])
        fences.append(Fence(lang.lower(), options, indent, i, j, body))
        i = j + 1
    return fences


def _dedent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t")


def python_blocks(text: str, page: str, snippet_dir: Path) -> tuple[list[Block], list[Fence]]:
    """Runnable blocks of a page, and its Python blocks that are shown but not run.

    Raises SnippetError for a Python block that is neither `exec="on"` nor `exec="off"` with a reason.
    """
    runnable, skipped = [], []
    for fence in find_fences(text, page):
        if fence.lang not in PYTHON_LANGS:
            continue
        where = f"{page}:{fence.line}"
        unknown = sorted(set(fence.options) - RUN_OPTIONS - set(SHOWN_OPTIONS))
        if unknown:
            raise SnippetError(
                f"{where}: unknown option {', '.join(unknown)} on a Python block — "
                f"use {', '.join(sorted(RUN_OPTIONS))} (how it runs) or {', '.join(SHOWN_OPTIONS)} (how it is shown)"
            )
        mode = fence.options.get("exec")
        if mode == "on":
            code, includes = expand_includes(fence.body, snippet_dir, where)
            runnable.append(Block(page, fence, code, fence.options.get("session"), _timeout(fence, where), includes))
        elif mode == "off" and fence.options.get("reason", "").strip():
            skipped.append(fence)
        else:
            raise SnippetError(
                f"{where}: Python block is neither run nor marked — "
                'add exec="on", or exec="off" reason="why it cannot run at build time"'
            )
    return runnable, skipped


def _timeout(fence: Fence, where: str) -> float:
    raw = fence.options.get("timeout", str(DEFAULT_TIMEOUT))
    try:
        value = float(raw)
    except ValueError:
        value = -1
    if value <= 0:
        raise SnippetError(f'{where}: timeout="{raw}" is not a positive number of seconds')
    return value


def expand_includes(code: str, snippet_dir: Path, where: str) -> tuple[str, list[str]]:
    """Replace `--8<-- "file.py:section"` lines with that section of `snippet_dir/file.py`."""
    out, used = [], []
    for line in code.split("\n"):
        m = _INCLUDE.match(line)
        if not m:
            out.append(line)
            continue
        name, _, section = m.group("target").partition(":")
        path = snippet_dir / name
        if not path.is_file():
            raise SnippetError(
                f'{where}: included file "{name}" does not exist — create snippets/{name} or fix the name'
            )
        out.extend(extract_section(path.read_text(encoding="utf-8"), section, f"{where}: snippets/{name}"))
        used.append(name)
    return "\n".join(out).strip("\n") + "\n", used


def extract_section(text: str, section: str, where: str) -> list[str]:
    """Lines of a named section (`# --8<-- [start:name]` ... `[end:name]`), markers removed."""
    lines = text.split("\n")
    if section:
        start = _marker_index(lines, f"start:{section}")
        end = _marker_index(lines, f"end:{section}")
        if start is None or end is None or end < start:
            raise SnippetError(
                f'{where}: no section "{section}" — mark it with # --8<-- [start:{section}] and [end:{section}]'
            )
        lines = lines[start + 1 : end]
    kept = [line for line in lines if not _SECTION_MARK.match(line)]
    while kept and not kept[0].strip():  # blank lines at a section's edges are layout, not code
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    return kept


def _marker_index(lines: list[str], marker: str) -> int | None:
    pattern = re.compile(rf"^\s*#\s*--8<--\s*\[{re.escape(marker)}\]\s*$")
    return next((i for i, line in enumerate(lines) if pattern.match(line)), None)


def included_files(text: str) -> set[str]:
    """File names a page includes with `--8<--`, wherever the line stands."""
    return {m.group("target").partition(":")[0] for m in map(_INCLUDE.match, text.split("\n")) if m}


def imported_modules(code: str) -> set[str]:
    """Top-level module names a block imports."""
    return set(_IMPORT.findall(code))


def group_units(blocks: list[Block]) -> list[list[Block]]:
    """Execution units of one page: each session's blocks in page order; every other block alone."""
    sessions: dict[str, list[Block]] = {}
    units: list[list[Block]] = []
    for block in blocks:
        if block.session is None:
            units.append([block])
        elif block.session in sessions:
            sessions[block.session].append(block)
        else:
            sessions[block.session] = [block]
            units.append(sessions[block.session])
    return units


def unit_key(unit: list[Block], environment: str, module_sources: dict[str, str]) -> str:
    """Cache key of a unit: its code, the snippet modules it imports, and the environment."""
    imported = sorted(set().union(*(imported_modules(b.code) for b in unit)) & module_sources.keys())
    payload = {
        "environment": environment,
        "blocks": [[b.code, b.timeout] for b in unit],
        "modules": {name: module_sources[name] for name in imported},
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def longest_fence(text: str, char: str = "`") -> str:
    """A fence longer than any run of `char` in text, so the text cannot close it."""
    runs = [len(m) for m in re.findall(rf"{re.escape(char)}+", text)]
    return char * max(3, max(runs, default=0) + 1)


def shown_info(fence: Fence) -> str:
    """The fence info string of the code as readers see it: python plus Material's display options."""
    shown = "".join(f' {key}="{fence.options[key]}"' for key in SHOWN_OPTIONS if key in fence.options)
    return "python" + shown


def annotation_list_end(lines: list[str], fence: Fence) -> int:
    """Index of the last line of the code-annotation list that follows a block, or of the fence itself.

    Material turns `# (1)!` markers into annotations only when an ordered list directly follows the
    code block; the block's output must therefore come after that list, never between the two.
    """
    if not _ANNOTATION.search(fence.body):
        return fence.end
    index = fence.end + 1
    while index < len(lines) and not lines[index].strip():
        index += 1
    first = _LIST_ITEM.match(lines[index]) if index < len(lines) else None
    if not first or first.group("indent") != fence.indent:
        return fence.end
    last = index
    for following in range(index + 1, len(lines)):
        line = lines[following]
        if not line.strip():
            continue
        deeper = len(line) - len(line.lstrip()) > len(fence.indent)
        item = _LIST_ITEM.match(line)
        if not deeper and not (item and item.group("indent") == fence.indent):
            break
        last = following
    return last


def render_block(fence: Fence, code: str, result: dict | None, figure_urls: list[str]) -> tuple[list[str], list[str]]:
    """Markdown lines that replace a runnable (or skipped) block: the code as shown (with Material's
    title, hl_lines and linenums), and what goes after it and after its annotation list, if any: the
    output of a runnable block, or the reason a skipped block did not run."""
    ticks = longest_fence(code)
    shown = [f"{ticks}{shown_info(fence)}", *code.rstrip("\n").split("\n"), ticks]
    if result is None:
        after = ["", '!!! info "构建时未运行"', f"    {fence.options['reason']}"]
    else:
        after = ["", *render_output(result.get("stdout", ""), result.get("figures", []), figure_urls)]

    def indent(lines: list[str]) -> list[str]:
        return [fence.indent + line if line else line for line in lines]

    return indent(shown), indent(after)


def render_output(stdout: str, figures: list[dict], figure_urls: list[str]) -> list[str]:
    """A collapsible "输出" block (open by default) with the printed text and the figures."""
    body: list[str] = []
    if stdout.strip():
        ticks = longest_fence(stdout)
        body += [f"{ticks}text", *stdout.rstrip("\n").split("\n"), ticks, ""]
    for figure, url in zip(figures, figure_urls, strict=True):
        alt = figure.get("alt") or "代码生成的图"
        size = f'width="{figure["width"]}" height="{figure["height"]}"' if "width" in figure else ""
        body += [f"![{alt}]({url}){{ loading=lazy {size} }}", ""]
    if not body:
        body = ["（无输出；断言全部通过）", ""]
    return ['???+ success "输出"', "", *("    " + line if line else "" for line in body)]


def figure_name(svg: str) -> str:
    """Content-addressed file name of a figure."""
    return hashlib.sha256(svg.encode()).hexdigest()[:16] + ".svg"
