"""Build hook: reject broken pages before anything renders, each error with file and line.

Checks every Markdown page's source: front matter (valid YAML, title, description, known keys, tags
from extra.tags, and on content pages the `reviewed` date), question headings (stable kebab-case id, a level, ids unique across the site) and
safety (no scripts, iframes, event handlers, javascript: links or hotlinked assets), plain-text
headings (no formulas: they feed the TOC and search results), tables (every row as wide as its
header: a | inside a formula splits a cell) and $$ blocks (no blank line inside). Links and
anchors are checked after rendering by links.py. Rules: page_rules.py.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from mkdocs.exceptions import PluginError

# MkDocs puts this folder on sys.path: sibling modules import by bare name.
import page_rules as rules


def on_files(files, config):
    allowed_tags = set((config.extra.get("tags") or {}).keys())
    docs = Path(config.docs_dir).name
    errors: list[str] = []
    seen_ids: dict[str, str] = {}
    today = datetime.date.today()
    for file in files.documentation_pages():
        if not file.src_uri.endswith(".md") or file.generated_by:
            continue
        page = f"{docs}/{file.src_uri}"
        text = file.content_string
        content_page = "/" in file.src_uri  # topic pages live in folders; the home page does not
        errors += rules.check_front_matter(text, page, allowed_tags, reviewed_by=today if content_page else None)
        errors += rules.check_html_safety(text, page)
        errors += rules.check_headings(text, page)
        errors += rules.check_tables(text, page)
        errors += rules.check_display_math(text, page)
        if not content_page:
            continue
        questions, heading_errors = rules.find_questions(text, page)
        errors += heading_errors
        for question in questions:
            where = f"{page}:{question.line}"
            if question.id in seen_ids:
                errors.append(
                    f"{where}: question id {question.id!r} is already used at {seen_ids[question.id]} — ids are site-wide"
                )
            else:
                seen_ids[question.id] = where
    if errors:
        raise PluginError("\n".join(errors))


def on_page_content(html, page, config, files):
    """What the rendered page would load from another host, though its source shows no URL (an emoji
    shortcode becomes a CDN image), fails the build at the line of the shortcode."""
    source = page.file.content_string
    errors = []
    for url, title in rules.remote_assets(html):
        token = title or url
        line = source[: max(source.find(token), 0)].count("\n") + 1
        fix = (
            f"{title} is an emoji shortcode that renders as an image on a CDN: write the character itself"
            if title.startswith(":")
            else "readers in mainland China and offline lose it: add the file to docs/ or draw it"
        )
        errors.append(f"{Path(config.docs_dir).name}/{page.file.src_uri}:{line}: the page would load {url} — {fix}")
    if errors:
        raise PluginError("\n".join(errors))
    return html


def on_nav(nav, config, files):
    """Every page is in the navigation, and every navigation entry has a page."""
    config_file = Path(config.config_file_path)
    config_text = config_file.read_text(encoding="utf-8")
    in_nav = {page.file.src_uri for page in nav.pages}
    errors = [
        f"{Path(config.docs_dir).name}/{file.src_uri}:1: page is not in the navigation — add it to nav in mkdocs.yml"
        for file in files.documentation_pages()
        if file.src_uri not in in_nav
    ]
    for link in _nav_links(nav.items):
        if "://" not in link.url and files.get_file_from_path(link.url) is None:
            line = config_text[: max(config_text.find(link.url), 0)].count("\n") + 1
            errors.append(f"{config_file.name}:{line}: nav entry {link.url!r} has no page — create it or fix the path")
    if errors:
        raise PluginError("\n".join(errors))
    return nav


def _nav_links(items):
    for item in items:
        if item.is_link:
            yield item
        yield from _nav_links(getattr(item, "children", None) or [])
