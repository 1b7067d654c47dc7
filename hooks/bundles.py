"""Build hook: the whole site to print, as PDF and offline, from the same build as the site.

- print/index.html: every page's article in navigation order on one page (every build; cheap);
- with KB_BUNDLES=1 (`make build`, the tests, the deploy workflow):
  downloads/ml-nlp-interview.pdf, printed from that page by headless chromium (cached by content), its
  Chinese text maps fixed so that copying and searching work (pdf_text.py),
  and downloads/ml-nlp-interview-offline.zip, the site built again for file:// (links to .html
  files, `extra.offline` set so that hooks/search_index.py also writes the index as scripts), which
  works from file:// with search.
The 下载 page (downloads.md) lists what this build provides. Helpers: print_view.py.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# MkDocs puts this folder on sys.path: sibling modules import by bare name.
import print_view as pv
from pdf_text import radical_ideographs, unify_radicals

log = logging.getLogger("mkdocs.hooks.bundles")

PRINT_URL = "print/"
PDF = "downloads/ml-nlp-interview.pdf"
OFFLINE = "downloads/ml-nlp-interview-offline.zip"
DECK = "downloads/ml-nlp-interview.apkg"  # written by hooks/questions.py
DOWNLOADS_PAGE = "downloads.md"
REPO = Path(__file__).resolve().parent.parent

_state: dict = {}


def on_config(config):
    _state.update(enabled=os.environ.get("KB_BUNDLES") == "1", contents={}, order=[])


def on_files(files, config):
    files.append(File.generated(config, DOWNLOADS_PAGE, content=downloads_page(_state["enabled"])))
    return files


def downloads_page(bundles: bool) -> str:
    """The 下载 page. Its links are plain HTML: the files are written after the pages (on_post_build)."""

    def link(path: str, text: str) -> str:
        return f'<a href="../{path}">{text}</a>'  # the page lives at downloads/

    rows = [f"| {link(DECK, 'Anki 卡组')} | 每道题一张卡片：正面是问题，背面是简答（公式由 Anki 渲染），按主题打标签 |"]
    rows.append(f"| {link(PRINT_URL, '单页打印版')} | 全站内容按导航顺序排在一页，适合打印或另存为 PDF |")
    if bundles:
        rows.append(f"| {link(PDF, 'PDF')} | 由单页打印版在构建时生成（A4） |")
        rows.append(f"| {link(OFFLINE, '离线包')} | 解压后直接用浏览器打开 `index.html`，无需网络，搜索可用 |")
    note = "" if bundles else "\n本地预览（`make serve`）不生成 PDF 与离线包；`make build` 与正式发布会生成。\n"
    return (
        "---\ntitle: 下载\ndescription: 本版本站点的 Anki 卡组、单页打印版、PDF 与离线包，与网页出自同一次构建。\n---\n\n"
        "# 下载\n\n以下文件与本版本的网页出自同一次构建，内容完全一致。\n\n"
        "| 文件 | 说明 |\n| --- | --- |\n" + "\n".join(rows) + "\n" + note
    )


def on_nav(nav, config, files):
    # filters, links to files, the reader's own progress: nothing to print
    interactive = {DOWNLOADS_PAGE, "questions.md", "review.md", "mock-interview.md"}
    _state["order"] = [page.url for page in nav.pages if page.file.src_uri not in interactive]
    return nav


def on_page_content(html, page, config, files):
    _state["contents"][page.url] = html
    return html


def on_post_build(config):
    site = Path(config.site_dir)
    if len(_state["contents"]) < len(_state["order"]):
        return  # `serve --dirty` rendered only the edited pages: keep the last full print view
    order = _state["order"]
    prefixes = {url: pv.prefix_for(i) for i, url in enumerate(order)}
    articles = [(prefixes[url], pv.rebase(_state["contents"][url], url, PRINT_URL, prefixes)) for url in order]
    stylesheets = [
        os.path.relpath(path, site / PRINT_URL)
        for pattern in (
            "assets/stylesheets/main.*.min.css",
            "assets/stylesheets/palette.*.min.css",
            "assets/katex/katex.min.css",
            "assets/stylesheets/site.css",
        )
        for path in sorted(site.glob(pattern))
    ]
    print_page = site / PRINT_URL / "index.html"
    print_page.parent.mkdir(parents=True, exist_ok=True)
    icon = os.path.relpath(site / (config.theme.get("favicon") or "assets/images/favicon.png"), site / PRINT_URL)
    print_page.write_text(pv.document(config.site_name, stylesheets, articles, icon), encoding="utf-8")
    if not _state["enabled"]:
        return
    cache = Path(config.config_file_path).parent / ".cache"
    print_pdf(print_page, site / PDF, cache / "pdf")
    offline_bundle(config, site / OFFLINE, cache)
    log.info(f"bundles: {PDF} and {OFFLINE} written")


def print_pdf(page: Path, target: Path, cache_dir: Path) -> None:
    """Print the page with headless chromium, with its Chinese text made searchable (pdf_text.py);
    reuse the PDF while the page is unchanged (older PDFs in the cache are removed)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        raise PluginError("the PDF is printed with Debian's chromium — run `make system-deps`")
    key = hashlib.sha256(page.read_bytes() + chromium.encode()).hexdigest()
    cached = cache_dir / f"{key}.pdf"
    if not cached.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        pdf, rewritten = unify_radicals(chromium_print(chromium, page), radical_ideographs(cjk_font_files()))
        for old in cache_dir.glob("*.pdf"):
            old.unlink()
        cached.write_bytes(pdf)
        log.info(f"bundles: PDF printed; {rewritten} radical code points in its text maps made ideographs")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(cached, target)


def chromium_print(chromium: str, page: Path) -> bytes:
    """The PDF headless chromium prints of a local page, exactly as chromium writes it."""
    with tempfile.TemporaryDirectory() as profile:
        printed = Path(profile) / "print.pdf"
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                "--virtual-time-budget=20000",
                f"--print-to-pdf={printed}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
        return printed.read_bytes()


def cjk_font_files() -> list[Path]:
    """The fonts fontconfig gives chromium for simplified Chinese (sans and serif), if it can tell."""
    found = []
    for family in ("sans-serif", "serif"):
        try:
            path = subprocess.run(
                ["fc-match", "-f", "%{file}", f"{family}:lang=zh-cn"], capture_output=True, text=True, timeout=30
            ).stdout.strip()
        except OSError:
            continue
        if path and Path(path).exists() and Path(path) not in found:
            found.append(Path(path))
    return found


def offline_bundle(config, target: Path, cache: Path) -> None:
    """Build the site again for file:// and zip it. Not with Material's offline plugin: it only sets
    use_directory_urls and adds a polyfill for web workers from a CDN, and this site's search runs
    without a worker."""
    root = Path(config.config_file_path).parent
    work = cache / "offline"
    work.mkdir(parents=True, exist_ok=True)
    # The offline build sees the same folders (docs and everything mkdocs.yml watches: hooks, snippets,
    # overrides, data) and shares the caches; links are re-pointed on every build, so a copied cache
    # never sends the build into another checkout.
    sources = {Path(config.docs_dir), *(Path(w) for w in config.watch if Path(w).is_relative_to(root))}
    links = {work / source.relative_to(root): source for source in sources} | {work / ".cache": cache}
    for link, source in links.items():
        if link.is_symlink() and link.resolve() != source.resolve():
            link.unlink()
        if not link.is_symlink():
            link.symlink_to(source)
    offline_config = work / "mkdocs.yml"
    overrides = {"use_directory_urls": False, "extra": {"offline": True}}
    offline_config.write_text(
        f"INHERIT: {config.config_file_path}\n" + yaml.safe_dump(overrides, allow_unicode=True), encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k != "MIKE_DOCS_VERSION"} | {"KB_BUNDLES": "0"}
    with tempfile.TemporaryDirectory() as out:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(offline_config), "-d", out],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if result.returncode != 0:
            raise PluginError(f"the offline bundle did not build:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(out).rglob("*")):
                if path.is_file():
                    archive.write(path, Path("ml-nlp-interview") / path.relative_to(out))
