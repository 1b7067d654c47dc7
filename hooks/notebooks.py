"""Build hook: execute every notebook page before mkdocs-jupyter renders it, so readers see outputs.

Notebooks are stored without outputs (nbstripout). Each is executed top to bottom with the venv's
python3 kernel; the executed copy is cached under .cache/notebooks/ by a hash of the notebook and the
environment, and mkdocs-jupyter renders that copy. A failing cell fails the build with the cell number.
The rendered page loses mkdocs-jupyter's MathJax block and its Mermaid loader, which import from
CDNs: formulas go to the KaTeX hook and diagrams to the Mermaid hook instead; its inline JupyterLab
style sheet keeps only the rules and variables the page uses (css_prune.py);
and its output images, inlined as base64, become files next to the page, named by their content and
loaded lazily with their size declared, so they neither delay the text nor shift it; and its
headings get the ids that mkdocs-jupyter's table of contents links to (nbconvert leaves an empty id
on a heading without ASCII letters, so "小结" was unreachable from the TOC).

A notebook obeys the rules a Markdown page does: its markdown cells pass the same source checks
(scripts, hotlinks, formulas in headings, tables, $$ blocks; links are checked by links.py), math
follows the same dollar rules (code spans are never math), its outputs may not run scripts or load
anything from another host, and its metadata carries the `reviewed` date shown under its title.
Links are written as on a page, to .md files relative to the notebook; mkdocs-jupyter leaves them as
written, so they are rewritten here to the URLs of this build (directory URLs on the site, .html files
in the offline bundle). Errors name the notebook and the cell.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import logging
import posixpath
import re
from pathlib import Path

import nbformat
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

# MkDocs puts this folder on sys.path: sibling modules import by bare name.
import build_env
import page_rules as rules
from css_prune import prune_page_styles

log = logging.getLogger("mkdocs.hooks.notebooks")
TIMEOUT = 300  # seconds per cell


def executed_copy(source: Path, cache_dir: Path, where: str) -> Path:
    """Path of the executed notebook, running it only when it or the environment changed."""
    text = source.read_bytes()
    key = hashlib.sha256(text + build_env.fingerprint().encode()).hexdigest()
    target = cache_dir / key / source.name  # keep the name: mkdocs-jupyter offers it for download
    if target.exists():
        return target
    notebook = nbformat.reads(text.decode("utf-8"), as_version=4)
    client = NotebookClient(notebook, timeout=TIMEOUT, kernel_name="python3", resources={"metadata": {"path": "/tmp"}})
    try:
        client.execute()
    except CellExecutionError as error:
        cell = next((i for i, c in enumerate(notebook.cells, 1) if c.get("outputs") and _failed(c)), "?")
        raise PluginError(f"{where}: cell {cell} raised — fix the notebook\n{str(error)[-2000:]}") from error
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    log.info(f"notebooks: executed {where}")
    return target


def _failed(cell) -> bool:
    return any(output.get("output_type") == "error" for output in cell.get("outputs", []))


OUTPUT_MIMES = ("text/html", "image/svg+xml", "text/markdown")


def cell_label(where: str, number: int) -> str:
    """How an error names a cell: `docs/nb.ipynb (cell 3)`, followed by `:line` inside the cell."""
    return f"{where} (cell {number})"


def reviewed_date(notebook) -> object:
    """The notebook's `reviewed` metadata as a date (the raw value if it is not an ISO date)."""
    value = notebook.metadata.get("reviewed")
    try:
        return datetime.date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return value


def notebook_problems(notebook, where: str, today: datetime.date) -> list[str]:
    """What a notebook breaks of the page rules, each error naming the notebook and the cell.

    Markdown cells get the source checks of a Markdown page; outputs (text/html, SVG, markdown) may not
    carry scripts, event handlers or assets from another host, and JavaScript outputs are refused.
    The metadata must hold `"reviewed": "YYYY-MM-DD"`.
    """
    errors = rules.check_reviewed(reviewed_date(notebook), f"{where}:1 (metadata)", today)
    for number, cell in enumerate(notebook.cells, 1):
        label = cell_label(where, number)
        if cell.cell_type == "markdown":
            for check in (rules.check_html_safety, rules.check_headings, rules.check_tables, rules.check_display_math):
                errors += check(cell.source, label)
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "application/javascript" in data:
                errors.append(f"{label}: output runs JavaScript — notebooks show results, not scripts; remove it")
            for mime in OUTPUT_MIMES:
                if mime in data:
                    text = data[mime] if isinstance(data[mime], str) else "".join(data[mime])
                    errors += [e.replace(label, f"{label} output", 1) for e in rules.check_html_safety(text, label)]
    return errors


def on_files(files, config):
    cache_dir = Path(config.config_file_path).parent / ".cache" / "notebooks"
    docs = Path(config.docs_dir).name
    errors = []
    for file in files.documentation_pages():
        if file.src_uri.endswith(".ipynb"):
            where = f"{docs}/{file.src_uri}"
            executed = executed_copy(Path(file.abs_src_path), cache_dir, where)
            file.abs_src_path = str(executed)
            errors += notebook_problems(nbformat.read(executed, as_version=4), where, datetime.date.today())
    if errors:
        raise PluginError("\n".join(errors))
    return files


_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S | re.I)
_CDN_SCRIPT = re.compile(r"<script\b[^>]*>(?:(?!</script>).)*?\bimport\(\s*[\"'`]https?://.*?</script>", re.S | re.I)
_NOTEBOOK_MERMAID = re.compile(r'<div class="jp-Mermaid"><pre class="mermaid">\n?(.*?)</pre></div>', re.S)
_MARKDOWN_CELL = re.compile(r'(<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
# pymdownx.arithmatex's smart-dollar rule: no space after the opening $ or before the closing one.
_INLINE = re.compile(r"(?<![\\$])\$(?![\s$])((?:\\.|[^\\$])+?)(?<!\s)\$")
_CODE = re.compile(r"(<(code|pre)\b[^>]*>.*?</\2>)", re.S)


def notebook_math(content: str) -> str:
    """Drop the MathJax loader; mark the math of markdown cells the way pymdownx.arithmatex does.
    Code spans and blocks are never math."""

    def math(text: str) -> str:
        text = _DISPLAY.sub(r'<div class="arithmatex">\\[\1\\]</div>', text)
        return _INLINE.sub(r'<span class="arithmatex">\\(\1\\)</span>', text)

    def cell(match: re.Match) -> str:
        parts = _CODE.split(match.group(2))  # text, code, tag name, text, code, tag name, …
        body = "".join(part if i % 3 else math(part) for i, part in enumerate(parts) if i % 3 != 2)
        return match.group(1) + body + match.group(3)

    return _MARKDOWN_CELL.sub(cell, _MATHJAX.sub("", content))


_HEADING = re.compile(r'<h([1-6])([^>]*?)\sid="[^"]*"([^>]*)>(.*?)</h\1>', re.S)
_ANCHOR_LINK = re.compile(r'(<a class="anchor-link" href=")[^"]*(")')


def toc_ids(links) -> list[str]:
    """The ids of a table of contents, in document order."""
    return [i for link in links for i in (link.id, *toc_ids(link.children))]


def align_heading_ids(content: str, ids: list[str], where: str) -> str:
    """Give the headings, in order, the ids the table of contents links to."""
    headings = _HEADING.findall(content)
    if len(headings) != len(ids):
        raise PluginError(f"{where}: {len(headings)} headings but {len(ids)} table of contents entries")
    queue = iter(ids)

    def retag(match: re.Match) -> str:
        level, before, after, body = match.groups()
        anchor = next(queue)
        body = _ANCHOR_LINK.sub(lambda m: f"{m.group(1)}#{anchor}{m.group(2)}", body)
        return f'<h{level}{before} id="{anchor}"{after}>{body}</h{level}>'

    return _HEADING.sub(retag, content)


def notebook_diagrams(content: str) -> str:
    """Drop the CDN Mermaid loader; mark diagrams the way pymdownx.superfences does for the Mermaid hook."""
    return _NOTEBOOK_MERMAID.sub(r'<pre class="mermaid"><code>\1</code></pre>', _CDN_SCRIPT.sub("", content))


_DATA_IMAGE = re.compile(r'<img ([^>]*?)src="data:image/(png|jpeg|gif);base64,([^"]+)"([^>]*)>')
_SIZE_ATTR = re.compile(r"\s(width|height)=")


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's header chunk, or None if it is not a PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def extract_images(html: str) -> tuple[str, dict[str, bytes]]:
    """The page with each base64 image replaced by a lazily loaded file, and those files by name."""
    images = {}

    def move(match: re.Match) -> str:
        before, kind, encoded, after = match.groups()
        data = base64.b64decode(encoded)
        name = f"{hashlib.sha256(data).hexdigest()[:16]}.{'jpg' if kind == 'jpeg' else kind}"
        images[name] = data
        attrs = f'src="{name}" loading="lazy" decoding="async"'
        if (size := png_size(data)) and not _SIZE_ATTR.search(f" {before}{after}"):
            attrs += f' width="{size[0]}" height="{size[1]}"'
        return f"<img {before}{attrs}{after}>"

    return _DATA_IMAGE.sub(move, html), images


_PAGE_LINK = re.compile(r'(<a\s[^>]*?href=")(?P<path>[^":#?]+\.(?:md|ipynb))(?P<anchor>#[^"]*)?(")')


def rewrite_page_links(html: str, src_uri: str, page_url: str, url_of) -> str:
    """Links to .md/.ipynb files (relative to the notebook at `src_uri`) as URLs relative to `page_url`.

    `url_of(path)` gives the built URL of a docs-relative path, or None if no such page exists (the link
    is then left for links.py to report).
    """

    def rewrite(match: re.Match) -> str:
        target = url_of(posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), match.group("path"))))
        if target is None:
            return match.group(0)
        return f"{match.group(1)}{get_relative_url(target, page_url)}{match.group('anchor') or ''}{match.group(4)}"

    return _PAGE_LINK.sub(rewrite, html)


def on_page_content(html, page, config, files):
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    page.meta["reviewed"] = reviewed_date(nbformat.read(page.file.abs_src_path, as_version=4))
    where = f"{Path(config.docs_dir).name}/{page.file.src_uri}"

    def url_of(path: str) -> str | None:
        found = files.get_file_from_path(path)
        return found.url if found is not None else None

    html = rewrite_page_links(html, page.file.src_uri, page.url, url_of)
    html = align_heading_ids(html, toc_ids(page.toc), where)
    html, images = extract_images(notebook_diagrams(notebook_math(html)))
    html = prune_page_styles(html)
    folder = Path(config.site_dir) / Path(page.file.dest_uri).parent
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in images.items():
        (folder / name).write_bytes(data)
    return html
