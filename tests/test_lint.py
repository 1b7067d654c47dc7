"""The linters CI enforces, run from the test suite so `make test` fails on the same problems."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON_DIRS = ["hooks", "snippets", "tests"]


def run(*args):
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_lint_is_clean():
    result = run("ruff", "check", *PYTHON_DIRS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = run("ruff", "format", "--check", *PYTHON_DIRS)
    assert result.returncode == 0, result.stdout + result.stderr
