"""Unit tests of the per-question erratum links and the last-updated dates."""

import subprocess
from urllib.parse import parse_qs, urlparse

import erratum_links
import last_updated


def test_question_headings_get_a_prefilled_erratum_link():
    content = (
        '<h2 freq="高频" id="why-scale" level="进阶">为什么除以 <code>√d_k</code>？<a class="headerlink" href="#why-scale">#</a></h2>'
        '<h2 id="refs">参考文献<a class="headerlink" href="#refs">#</a></h2>'
    )
    out = erratum_links.add_links(content, "https://github.com/o/r", "https://s/p/")
    assert out.count("md-question-report") == 1  # not on the closing sections
    href = out.split('class="md-question-report" href="')[1].split('"')[0].replace("&amp;", "&")
    url = urlparse(href)
    query = parse_qs(url.query)
    assert url.path == "/o/r/issues/new"
    assert query["template"] == ["erratum.yml"]
    assert query["page"] == ["https://s/p/#why-scale"]
    assert query["question"] == ["为什么除以 √d_k？"]


def test_last_commit_dates_take_the_newest_commit_and_survive_no_git(tmp_path):
    def git(*args, date):
        env = {"GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date, "HOME": str(tmp_path)}
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=tmp_path, check=True, env=env)

    (tmp_path / "docs").mkdir()
    git("init", "-q", date="2024-01-01T00:00:00")
    (tmp_path / "docs" / "a.md").write_text("1")
    (tmp_path / "docs" / "b.md").write_text("1")
    git("add", ".", date="2024-01-01T00:00:00")
    git("commit", "-qm", "one", date="2024-01-01T00:00:00")
    (tmp_path / "docs" / "a.md").write_text("2")
    git("commit", "-qam", "two", date="2024-03-05T00:00:00")
    assert last_updated.last_commit_dates(tmp_path, "docs") == {"docs/a.md": "2024-03-05", "docs/b.md": "2024-01-01"}
    assert last_updated.last_commit_dates(tmp_path / "docs" / "nowhere", "docs") == {}
