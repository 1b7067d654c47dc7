"""Versioned publishing with mike: two deploys into a scratch git repository (no push), then the
result served on loopback and checked in chromium: version menu, switching, outdated banner."""

import functools
import http.server
import io
import json
import os
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pytest

from conftest import _QuietHandler

pytestmark = [pytest.mark.slow, pytest.mark.browser]

BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NO_MKDOCS_2_WARNING": "1"}


def run(cwd, *args) -> str:
    result = subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args}: {result.stdout[-2000:]}{result.stderr[-2000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A fixture site deployed as 0.1 then 0.2 (+latest, default), and its gh-pages content."""
    from conftest import FixtureSite

    site = FixtureSite(tmp_path_factory.mktemp("mike") / "repo")
    site.page("index.md", "# 首页\n\n第一版。\n")
    site.page("topic/page.md", "# 主题页\n\n内容。\n")
    site.build()  # writes mkdocs.yml
    repo = site.root
    (repo / ".gitignore").write_text("site/\n.cache/\n")
    git = ("git", "-c", "user.name=t", "-c", "user.email=t@t")
    run(repo, *git, "init", "-q", "-b", "main")
    run(repo, *git, "add", ".")
    run(repo, *git, "commit", "-qm", "v0.1")
    run(repo, "git", "config", "user.name", "t")  # mike commits to gh-pages
    run(repo, "git", "config", "user.email", "t@t")
    run(repo, "mike", "deploy", "0.1", "latest")
    first = run(repo, "git", "show", "gh-pages:0.1/topic/page/index.html")

    (repo / "docs" / "index.md").write_text((repo / "docs" / "index.md").read_text().replace("第一版", "第二版"))
    run(repo, *git, "commit", "-qam", "v0.2")
    run(repo, "mike", "deploy", "--update-aliases", "0.2", "latest")
    run(repo, "mike", "set-default", "latest")
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=repo, capture_output=True, check=True).stdout
    served = repo.parent / "served"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(served, filter="fully_trusted")
    return repo, served, first


def test_second_deploy_leaves_the_first_untouched(published):
    repo, _, first = published
    assert run(repo, "git", "show", "gh-pages:0.1/topic/page/index.html") == first
    assert "第一版" in run(repo, "git", "show", "gh-pages:0.1/index.html")
    assert "第二版" in run(repo, "git", "show", "gh-pages:0.2/index.html")


def test_versions_json_and_aliases(published):
    repo, served, _ = published
    versions = json.loads(run(repo, "git", "show", "gh-pages:versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("0.2", ["latest"]), ("0.1", [])]
    assert "第二版" in (served / "latest" / "index.html").read_text(encoding="utf-8")
    assert "latest" in (served / "index.html").read_text(encoding="utf-8")  # the default redirects there


@pytest.fixture(scope="module")
def versions_url(published):
    _, served, _ = published
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(served)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def test_version_menu_lists_both_and_switches(visit, versions_url):
    seen = visit(versions_url + "0.2/topic/page/")
    page = seen.page
    page.wait_for_selector(".md-version__current")
    assert page.inner_text(".md-version__current").strip() == "0.2"
    labels = page.eval_on_selector_all(".md-version__link", "els => els.map(e => e.textContent.trim())")
    assert "0.2" in " ".join(labels) and "0.1" in " ".join(labels)
    assert page.locator('[data-md-component="outdated"]').get_attribute("hidden") is not None
    page.hover(".md-version")  # the menu opens on hover, as for a reader with a mouse
    page.locator(".md-version__link", has_text="0.1").first.click()
    page.wait_for_url("**/0.1/**")
    page.wait_for_selector('[data-md-component="outdated"]:not([hidden])')
    banner = page.locator('[data-md-component="outdated"] a')
    assert "最新版本" in banner.inner_text()
    banner.click()
    page.wait_for_url("**/latest/topic/page/")
    assert seen.errors == []
