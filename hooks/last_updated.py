"""Build hook: the dates a page shows — when its claims were last checked, and when it last changed.

- `reviewed` (front matter, validated by page_checks.py) is shown under the title as 最后核对.
- The date of the last commit that touched the source goes to Material's footer of the page. One
  `git log` for the whole docs folder, read once per build. Without git or history (a tarball, a
  shallow clone) pages simply show no commit date; the build never fails for it.
"""

from __future__ import annotations

import datetime
import re
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


_H1_END = re.compile(r"</h1>")


def reviewed_line(date: datetime.date) -> str:
    """The 最后核对 line shown under a page's title, kept out of the search index."""
    return f'<p class="kb-reviewed" data-search-exclude>最后核对：<time datetime="{date}">{date}</time></p>'


def with_reviewed_line(html: str, date: datetime.date) -> str:
    """The page with the 最后核对 line right after its title (unchanged if it has no <h1>)."""
    return _H1_END.sub(lambda m: m.group(0) + reviewed_line(date), html, count=1)


def on_page_content(html, page, config, files):
    reviewed = page.meta.get("reviewed")
    return with_reviewed_line(html, reviewed) if isinstance(reviewed, datetime.date) else html
