"""Chinese copywriting lint (autocorrect): spaces between CJK and Latin/digits, full-width punctuation.

Usage: python tests/lint_copywriting.py FILE...   (exit 1 and `file:line: ...` for each finding)
Used by pre-commit and by tests/test_lint.py, so CI enforces what the hook reports.
"""

from __future__ import annotations

import sys
from pathlib import Path

import autocorrect_py


def findings(path: Path) -> list[str]:
    result = autocorrect_py.lint_for(path.read_text(encoding="utf-8"), path.name)
    return [f"{path}:{line.line}: {line.old.strip()} → {line.new.strip()}" for line in result.lines]


def main(paths: list[str]) -> int:
    problems = [message for p in paths for message in findings(Path(p))]
    print("\n".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
