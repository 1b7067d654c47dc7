"""The real site: one strict build (shared by the session), then checks over every built page."""

import html
import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

ASSET_ATTRS = {"img": "src", "script": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src"}
INLINE_FETCHES = {  # URLs that inline code loads: import("…") in scripts, url(…) and @import in styles
    "script": re.compile(r"""\bimport\s*\(?\s*["'`]([^"'`]+)"""),
    "style": re.compile(r"""(?:\burl\(\s*["']?|@import\s+["'])([^"')]+)"""),
}


class AssetParser(HTMLParser):
    """Collects every URL a browser would fetch while loading the page, and the meta description."""

    def __init__(self):
        super().__init__()
        self.assets: list[str] = []
        self.description = None
        self.inside = None

    def handle_starttag(self, tag, attrs):
        self.inside = tag
        attrs = dict(attrs)
        if tag in ASSET_ATTRS and attrs.get(ASSET_ATTRS[tag]):
            self.assets.append(attrs[ASSET_ATTRS[tag]])
        if tag == "link" and attrs.get("rel") in {"stylesheet", "preload", "icon", "modulepreload"}:
            self.assets.append(attrs.get("href", ""))
        if tag == "meta" and attrs.get("name") == "description":
            self.description = attrs.get("content")

    def handle_data(self, data):
        if self.inside in INLINE_FETCHES:
            self.assets += INLINE_FETCHES[self.inside].findall(data)


def pages(site):
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def test_strict_build_succeeds_and_reports_snippets_and_formulas(built_site):
    assert re.search(r"snippets: \d+ ran, \d+ cached, 0 failed", built_site.output)
    assert re.search(r"formulas: \d+ rendered, \d+ cached", built_site.output)


def test_no_page_loads_anything_from_another_host(built_site):
    offenders = []
    for page in pages(built_site.site):
        parser = AssetParser()
        parser.feed(page.read_text(encoding="utf-8"))
        offenders += [f"{page}: {url}" for url in parser.assets if urlparse(url).scheme in {"http", "https"}]
        offenders += [f"{page}: {url}" for url in parser.assets if url.startswith("//")]
    assert offenders == []


def test_every_page_has_a_description(built_site):
    missing = []
    for page in pages(built_site.site):
        parser = AssetParser()
        parser.feed(page.read_text(encoding="utf-8"))
        if not parser.description:
            missing.append(str(page))
    assert missing == []


def test_math_is_prerendered_and_no_page_ships_katex_javascript(built_site):
    math_pages = 0
    for page in pages(built_site.site):
        html = page.read_text(encoding="utf-8")
        assert "katex-error" not in html, page
        assert "katex.min.js" not in html and "mathjax" not in html.lower(), page
        if 'class="katex"' in html:
            math_pages += 1
            assert "assets/katex/katex.min.css" in html, page
            visible = re.sub(r"<(script|code|pre|annotation)[^>]*>.*?</\1>", "", html, flags=re.S)
            assert not re.search(r"\$\$|\\\(|\\\[", re.sub(r"<[^>]+>", "", visible)), page
    assert math_pages >= 10


def test_at_least_forty_runnable_blocks_show_their_output(built_site):
    outputs = sum(
        page.read_text(encoding="utf-8").count('open="open" data-search-exclude>\n<summary>输出</summary>')
        for page in pages(built_site.site)
    )
    assert outputs >= 40


def test_the_palette_toggle_is_not_materials_palette_component(built_site):
    """Material's palette component restyles the whole page four times at every load (see
    overrides/partials/javascripts/palette.html); an upgrade that renames the partials would bring it back."""
    page = (built_site.site / "transformer/attention/index.html").read_text(encoding="utf-8")
    assert 'data-md-component="palette"' not in page
    assert '<form class="md-header__option" data-kb-palette>' in page


def test_no_code_block_shows_the_same_import_twice(built_site):
    """Snippet sections carry their own imports; a page that repeats one next to the include shows it twice."""
    repeated = []
    for page in pages(built_site.site):
        for block in re.findall(r"<pre[^>]*>(.*?)</pre>", page.read_text(encoding="utf-8"), re.S):
            code = html.unescape(re.sub(r"<[^>]+>", "", block))
            imports = Counter(line for line in code.splitlines() if re.match(r"(?:import|from) \S", line))
            repeated += [f"{page.relative_to(built_site.site)}: {line}" for line, n in imports.items() if n > 1]
    assert repeated == []


def test_the_sites_own_scripts_are_served_minified(built_site):
    """hooks/minify_scripts.py: each script of overrides/assets/javascripts/ is served smaller than it is
    written (its comments gone); the browser tests check that they still work."""
    sources = sorted((ROOT / "overrides" / "assets" / "javascripts").glob("*.js"))
    served = built_site.site / "assets" / "javascripts"
    not_smaller = [s.name for s in sources if (served / s.name).stat().st_size >= 0.9 * s.stat().st_size]
    assert len(sources) >= 10 and not_smaller == []
