"""Pure helpers for the print view: every page's article in one HTML document.

Ids get a per-page prefix so they stay unique, links between pages become links inside the document,
and relative asset URLs are re-based from each page's URL to the print page's. Nothing here imports
MkDocs.
"""

from __future__ import annotations

import html
import re
from posixpath import normpath, relpath
from urllib.parse import urljoin, urlsplit

_ID = re.compile(r'\sid="([^"]+)"')
_URL = re.compile(r'\s(href|src)="([^"]*)"')
_BASE = "https://site.invalid/"


def prefix_for(index: int) -> str:
    return f"p{index}-"


def rebase(content: str, page_url: str, print_url: str, page_prefixes: dict[str, str]) -> str:
    """Adapt one page's article HTML to live inside the print page at print_url."""
    prefix = page_prefixes[page_url]
    content = _ID.sub(lambda m: f' id="{prefix}{m.group(1)}"', content)

    def url(match: re.Match) -> str:
        attr, value = match.groups()
        target = html.unescape(value)
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:|^//", target, re.I):
            return match.group(0)  # external, data: or mailto: URLs stay as they are
        absolute = urlsplit(urljoin(_BASE + page_url, target))
        path = absolute.path.removeprefix("/")
        if path in page_prefixes and attr == "href":  # a link to a page of the site: jump inside
            return f' {attr}="#{page_prefixes[path]}{absolute.fragment or "top"}"'
        rel = relpath("/" + path, "/" + normpath(print_url)) if path else "."
        fragment = f"#{absolute.fragment}" if absolute.fragment else ""
        return f' {attr}="{html.escape(rel + fragment)}"'

    return _URL.sub(url, content)


def document(
    title: str, stylesheets: list[str], articles: list[tuple[str, str]], icon: str = "", lang: str = "zh"
) -> str:
    """The print page: the site's stylesheets, then one <article> per page, in navigation order."""
    links = "\n".join(f'<link rel="stylesheet" href="{html.escape(s)}">' for s in stylesheets)
    if icon:  # without one the browser asks the server for /favicon.ico
        links += f'\n<link rel="icon" href="{html.escape(icon)}">'
    body = "\n".join(
        f'<article class="md-typeset kb-print-page" id="{anchor}top">{content}</article>'
        for anchor, content in articles
    )
    return f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="description" content="{html.escape(title)}：全站内容的单页打印版。">
<title>{html.escape(title)}（打印版）</title>
{links}
<style>
  body {{ margin: 0 auto; max-width: 52rem; padding: 1rem 1.5rem; }}
  .kb-print-page {{ break-before: page; }}
  .kb-print-page:first-of-type {{ break-before: auto; }}
  .md-typeset details {{ display: block; }}
  .md-typeset details > * {{ display: block !important; }}
  .headerlink, .md-question-report, .kb-reveal, .kb-random-topic {{ display: none !important; }}
  @page {{ size: A4; margin: 16mm 14mm; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
{body}
</body>
</html>
"""
