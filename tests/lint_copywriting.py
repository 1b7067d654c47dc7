"""Chinese copywriting lint (autocorrect): spaces between CJK and Latin/digits, full-width punctuation.

Only prose is checked: fenced code, display math and front matter are left alone.
Usage: python tests/lint_copywriting.py [--fix] FILE...   (exit 1 and `file:line: old → new` per finding)
Used by pre-commit and by tests/test_lint.py, so CI enforces what the hook reports.
"""

from __future__ import annotations

import sys
from pathlib import Path

import autocorrect_py

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
from page_rules import prose_lines  # noqa: E402


def prose_line_numbers(text: str, name: str) -> set[int]:
    """1-based lines of prose: outside fenced code, front matter and $$ display math."""
    lines, in_math = set(), False
    for number, line in prose_lines(text, name):
        if line.strip() == "$$" or line.strip().startswith("$$") != line.strip().endswith("$$"):
            in_math = not in_math
            continue
        if not in_math and "$$" not in line:
            lines.add(number)
    return lines


def findings(path: Path) -> list[tuple[int, str, str]]:
    text = path.read_text(encoding="utf-8")
    prose = prose_line_numbers(text, str(path))
    result = autocorrect_py.lint_for(text, path.name)
    return [(r.line, r.old, r.new) for r in result.lines if r.line in prose]


def fix(path: Path, found: list[tuple[int, str, str]]) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    for number, old, new in found:
        if old.strip() in lines[number - 1]:
            lines[number - 1] = lines[number - 1].replace(old.strip(), new.strip())
    path.write_text("\n".join(lines), encoding="utf-8")


def main(args: list[str]) -> int:
    fixing = "--fix" in args
    problems = []
    for name in (a for a in args if a != "--fix"):
        path = Path(name)
        found = findings(path)
        if fixing and found:
            fix(path, found)
        problems += [f"{path}:{line}: {old.strip()} → {new.strip()}" for line, old, new in found]
    print("\n".join(problems))
    return 1 if problems and not fixing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
