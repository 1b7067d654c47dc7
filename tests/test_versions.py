"""Publishing with mike as the deploy workflow does it (.ci/publish), served as GitHub Pages serves a
project site: under a sub-path (/kb/), gzipped, the root 404.html for every missing URL.

Four deploys into a scratch repository: dev; release v0.1; dev again; release v0.2. Then chromium
checks what a reader meets, before the first release and after the second.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import os
import posixpath
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pytest
from search import top_titles

from conftest import ROOT, FixtureSite

pytestmark = [pytest.mark.slow, pytest.mark.browser]

BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NO_MKDOCS_2_WARNING": "1"}
PREFIX = "/kb/"  # the path of site_url in mkdocs.yml: a GitHub Pages project site


def run(cwd, *args) -> str:
    result = subprocess.run(args, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{args}: {result.stdout[-2000:]}{result.stderr[-2000:]}"
    return result.stdout


def snapshot(repo: Path) -> dict:
    """The gh-pages state a deploy left: commit, versions.json, and the tree of every top-level entry."""
    listing = run(repo, "git", "ls-tree", "gh-pages").splitlines()
    trees = {line.split("\t")[1]: line.split()[2] for line in listing}
    versions = json.loads(run(repo, "git", "show", "gh-pages:versions.json"))
    return {"commit": run(repo, "git", "rev-parse", "gh-pages").strip(), "trees": trees, "versions": versions}


@pytest.fixture(scope="module")
def deploys(tmp_path_factory):
    """Snapshots after each of the four deploys, and the repository."""
    site = FixtureSite(tmp_path_factory.mktemp("mike") / "repo")
    site.page("index.md", "# 首页\n\n开发中的首页。\n")
    site.page("topic/page.md", "# 主题页\n\n## 注意力为什么要缩放？ {#why-scale level=基础}\n\n缩放让方差回到一。\n")
    site.build()  # writes mkdocs.yml; readers search every version (hooks/search_index.py)
    repo = site.root
    (repo / ".gitignore").write_text("site/\n.cache/\n")
    run(repo, "git", "init", "-q", "-b", "main")
    run(repo, "git", "config", "user.name", "t")
    run(repo, "git", "config", "user.email", "t@t")

    def commit_and_publish(text: str, *publish: str) -> dict:
        index = repo / "docs" / "index.md"
        index.write_text(f"---\ntitle: 首页\ndescription: 首页。\n---\n\n# 首页\n\n{text}。\n", encoding="utf-8")
        run(repo, "git", "add", ".")
        run(repo, "git", "commit", "-qm", text)
        run(repo, sys.executable, str(ROOT / ".ci" / "publish"), *publish)
        return snapshot(repo)

    steps = {
        "dev": commit_and_publish("开发中的首页", "dev"),
        "v0.1": commit_and_publish("第一版", "release", "v0.1"),
        "dev again": commit_and_publish("第二版开发中", "dev"),
        "v0.2": commit_and_publish("第二版", "release", "v0.2"),
    }
    return repo, steps


def test_versions_json_and_aliases_stay_right_across_deploys(deploys):
    _, steps = deploys
    listed = {name: {v["version"]: v["aliases"] for v in s["versions"]} for name, s in steps.items()}
    assert listed["dev"] == {"dev": []}
    assert listed["v0.1"] == {"0.1": ["latest"], "dev": []}
    assert listed["dev again"] == {"0.1": ["latest"], "dev": []}
    assert listed["v0.2"] == {"0.2": ["latest"], "0.1": [], "dev": []}


def test_a_deploy_never_touches_another_version(deploys):
    _, steps = deploys
    trees = {name: s["trees"] for name, s in steps.items()}
    assert trees["dev again"]["0.1"] == trees["v0.1"]["0.1"]  # redeploying dev left 0.1 alone
    assert trees["v0.2"]["0.1"] == trees["v0.1"]["0.1"]  # releasing 0.2 left 0.1 alone
    assert trees["v0.2"]["dev"] == trees["dev again"]["dev"]  # … and dev
    assert trees["dev again"]["dev"] != trees["dev"]["dev"]  # while dev itself did change
    assert trees["v0.2"]["latest"] == trees["v0.2"]["0.2"]  # latest is a copy of the newest release


def test_root_redirects_to_dev_before_the_first_release_and_to_latest_after(deploys):
    repo, steps = deploys
    first = run(repo, "git", "show", f"{steps['dev']['commit']}:index.html")
    last = run(repo, "git", "show", f"{steps['v0.2']['commit']}:index.html")
    assert 'content="0; url=dev/"' in first.replace("'", '"') or "dev/" in first
    assert "latest/" in last and "dev/" not in last


class GitHubPages(http.server.SimpleHTTPRequestHandler):
    """Serves a gh-pages tree under PREFIX like GitHub Pages: index.html for folders, a redirect to add
    the slash, gzip when the browser accepts it, and the root 404.html (status 404) for anything missing."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?")[0].split("#")[0]
        if not path.startswith(PREFIX):
            return self._send(404, self._not_found(), "text/html")
        local = Path(self.directory, posixpath.normpath(path[len(PREFIX) :]).lstrip("./"))
        if local.is_dir():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", path + "/")
                self.end_headers()
                return
            local = local / "index.html"
        if not local.is_file():
            return self._send(404, self._not_found(), "text/html")
        self._send(200, local.read_bytes(), self.guess_type(str(local)))

    def _not_found(self) -> bytes:
        page = Path(self.directory, "404.html")
        return page.read_bytes() if page.exists() else b"404"

    def _send(self, status: int, body: bytes, kind: str):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        if "gzip" in self.headers.get("Accept-Encoding", "") and kind.startswith(("text/", "application/")):
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(repo: Path, commit: str, folder: Path):
    archive = subprocess.run(["git", "archive", commit], cwd=repo, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GitHubPages, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}{PREFIX}"


def serving(deploys, step: str, folder: Path):
    """The gh-pages tree as the deploy `step` left it, served like GitHub Pages until the module ends."""
    repo, steps = deploys
    server, url = serve(repo, steps[step]["commit"], folder)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def before_release(deploys, tmp_path_factory):
    yield from serving(deploys, "dev", tmp_path_factory.mktemp("pages-dev"))


@pytest.fixture(scope="module")
def after_releases(deploys, tmp_path_factory):
    yield from serving(deploys, "v0.2", tmp_path_factory.mktemp("pages-final"))


def failed_requests(page, action) -> list[str]:
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    action()
    page.wait_for_load_state("networkidle")
    return failed


def banner_states(page) -> tuple[bool, bool, bool]:
    """(outdated banner shown, 开发版 notice shown, its link to latest shown)."""
    page.wait_for_load_state("networkidle")
    outdated = page.locator('[data-md-component="outdated"]')
    shown = outdated.count() > 0 and outdated.first.get_attribute("hidden") is None
    notice = page.locator(".kb-dev-notice").count() > 0
    link = page.locator(".kb-dev-latest").count() > 0 and page.locator(".kb-dev-latest").is_visible()
    return shown, notice, link


def test_before_the_first_release_the_root_opens_dev_which_is_not_outdated(visit, before_release):
    seen = visit(before_release)
    page = seen.page
    page.wait_for_url("**/kb/dev/")
    assert banner_states(page) == (False, True, False)  # 开发版 notice, no link: no release yet
    assert "开发中的首页" in page.inner_text("article")
    assert seen.errors == []


def test_after_releases_root_opens_latest_and_banners_are_right_everywhere(visit, after_releases):
    page = visit(after_releases).page
    page.wait_for_url("**/kb/latest/")
    assert "第二版" in page.inner_text("article")
    expected = {"latest": (False, False, False), "0.2": (False, False, False), "0.1": (True, False, False)}
    expected["dev"] = (False, True, True)
    for version, states in expected.items():
        page.goto(f"{after_releases}{version}/topic/page/")
        assert banner_states(page) == states, version


def test_version_menu_lists_every_version_and_switching_keeps_the_page(visit, after_releases):
    seen = visit(after_releases + "0.2/topic/page/")
    page = seen.page
    page.wait_for_selector(".md-version__current")
    labels = page.eval_on_selector_all(".md-version__link", "els => els.map(e => e.textContent.trim())")
    assert {"0.2", "0.1", "dev"} <= {label.split()[0] for label in labels}
    for target in ("0.1", "dev"):
        page.hover(".md-version")  # the menu opens on hover, as for a reader with a mouse
        page.locator(".md-version__link", has_text=target).first.click()
        page.wait_for_url(f"**/kb/{target}/topic/page/")
        page.goto(after_releases + "0.2/topic/page/")
    page.goto(after_releases + "0.1/topic/page/")
    page.wait_for_selector('[data-md-component="outdated"]:not([hidden])')
    page.locator('[data-md-component="outdated"] a').click()
    page.wait_for_url("**/kb/latest/topic/page/")  # the outdated banner leads to the same page
    assert seen.errors == []


@pytest.mark.parametrize("version", ["latest", "0.1", "dev"])
def test_search_works_and_nothing_404s_in_every_version(visit, after_releases, version):
    seen = visit(f"{after_releases}{version}/")
    page = seen.page

    def search():
        page.locator("input.md-search__input").click()
        titles, _ = top_titles(page, "缩放")
        assert titles, f"no search results in {version}"
        page.goto(f"{after_releases}{version}/topic/page/")

    assert failed_requests(page, search) == []
    assert seen.errors == []


def test_a_made_up_url_shows_the_styled_404_page_with_all_its_assets(visit, after_releases):
    seen = visit(after_releases + "0.1/no/such/page/")
    page = seen.page
    assert "404" in page.inner_text("article")
    loaded = page.evaluate("Array.from(document.styleSheets).filter(s => s.href).length")
    assert loaded >= 1  # Material's style sheets, from inside a version folder
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    broken = [u for u in seen.requests if u.startswith(after_releases) and "/no/such/page" not in u]
    statuses = page.evaluate("performance.getEntriesByType('resource').map(e => [e.name, e.responseStatus])")
    assert [name for name, status in statuses if status >= 400] == [], broken


def test_progress_survives_a_reload_and_a_version_switch(visit, after_releases):
    """Progress is one localStorage key for the whole origin: every version reads what another wrote."""
    seen = visit(after_releases + "0.2/topic/page/")
    page = seen.page

    def status() -> str:
        page.locator(".kb-reveal").click()
        return page.locator(".kb-grade-status").inner_text()

    page.locator(".kb-self-test-toggle").click()
    assert status() == "还没有打过分。"
    page.locator(".kb-grade-no").click()
    recorded = page.locator(".kb-grade-status").inner_text()
    assert recorded.startswith("已记录：不会，第 1 盒")
    page.reload(wait_until="networkidle")
    assert status() == recorded.replace("已记录", "上次")
    for target in ("0.1", "dev"):
        page.hover(".md-version")
        page.locator(".md-version__link", has_text=target).first.click()
        page.wait_for_url(f"**/kb/{target}/topic/page/")
        page.wait_for_load_state("networkidle")
        assert status() == recorded.replace("已记录", "上次"), target
        page.goto(f"{after_releases}{target}/review/", wait_until="networkidle")
        assert page.inner_text(".kb-progress-stats").startswith("已练习 1 道题"), target
        page.goto(after_releases + "0.2/topic/page/", wait_until="networkidle")
    assert seen.errors == []
