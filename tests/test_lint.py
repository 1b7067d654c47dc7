"""The linters of .pre-commit-config.yaml, run by `make test` so CI enforces the same checks."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PYTHON_DIRS = ["hooks", "snippets", "tests"]
MARKDOWN = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").rglob("*.md")) + ["README.md", "CONTRIBUTING.md"]
NOTEBOOKS = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").rglob("*.ipynb"))


def run(*args):
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]


def test_ruff_lint():
    run(BIN / "ruff", "check", *PYTHON_DIRS)


def test_ruff_format():
    run(BIN / "ruff", "format", "--check", *PYTHON_DIRS)


def test_spelling():
    run(BIN / "typos", *PYTHON_DIRS, *MARKDOWN)


def test_markdown_lint():
    run(BIN / "pymarkdown", "--config", ".pymarkdown.json", "scan", *MARKDOWN)


def test_chinese_copywriting():
    run(sys.executable, "tests/lint_copywriting.py", *[p for p in MARKDOWN if p.startswith("docs/")])


def test_notebooks_are_stored_without_outputs():
    assert NOTEBOOKS, "the site should have at least one notebook"
    run(BIN / "nbstripout", "--verify", *NOTEBOOKS)


def test_github_workflows_pass_actionlint():
    """Including the runtime check: actions on a removed Node runtime (node20) are findings."""
    run(BIN / "actionlint", *map(str, sorted(ROOT.glob(".github/workflows/*.yml"))))


def test_github_workflows_pass_zizmor():
    """Pinned actions, least-privilege permissions, no cache poisoning, no credentials left behind;
    a suppression in a workflow carries its reason in a comment next to it."""
    run(BIN / "zizmor", "--offline", "--no-progress", ".github/workflows/")


def test_github_workflows_and_issue_forms_match_their_schemas():
    run(
        BIN / "check-jsonschema",
        "--builtin-schema",
        "vendor.github-workflows",
        *map(str, ROOT.glob(".github/workflows/*.yml")),
    )
    forms = [str(p) for p in ROOT.glob(".github/ISSUE_TEMPLATE/*.yml") if p.name != "config.yml"]
    run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-issue-forms", *forms)
