"""Build hook: each page shows the date of the last commit that touched its source.

One `git log` for the whole docs folder, read once per build. Without git or history (a tarball, a
shallow clone) pages simply show no date; the build never fails for it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def last_commit_dates(repo: Path, folder: str) -> dict[str, str]:
    """Map each file path (relative to repo) to the date (YYYY-MM-DD) of its latest commit."""
    try:
        log = subprocess.run(
            ["git", "log", "--format=%x00%cs", "--name-only", "--", folder],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[str, str] = {}
    for entry in log.split("\x00")[1:]:
        date, *paths = entry.strip().split("\n")
        for path in filter(None, paths):
            dates.setdefault(path, date)
    return dates


_dates: dict[str, str] = {}


def on_config(config):
    root = Path(config.config_file_path).parent
    docs = Path(config.docs_dir).relative_to(root).as_posix() if Path(config.docs_dir).is_relative_to(root) else ""
    _dates.clear()
    _dates.update({path.removeprefix(f"{docs}/"): date for path, date in last_commit_dates(root, docs).items()})


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri in _dates:
        page.meta["revision_date"] = _dates[page.file.src_uri]
    return markdown
