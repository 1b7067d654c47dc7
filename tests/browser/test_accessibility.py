"""axe-core (the engine inside Lighthouse) finds no WCAG 2.x A/AA violation, in both palettes.

Each page is scrolled top to bottom first, as a reader would: long pages lay out and set up their
blocks only near the screen (content-visibility, Material's content.lazy, scroll-regions.js).
"""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# The home page, the two heaviest topic pages, the notebook, the generated pages and the calculator.
PAGES = [
    "",
    "ml/boosting/",
    "transformer/attention/",
    "notebooks/attention-from-scratch/",
    "questions/",
    "glossary/",
    "review/",
    "mock-interview/",
    "tools/calculator/",
]
RUN_AXE = """async () => {
  const result = await axe.run(document, {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]});
  return result.violations.map(v => `${v.id} (${v.nodes.length}x): ` +
    v.nodes.slice(0, 3).map(n => n.target.join(" ") + " — " + n.failureSummary.split("\\n")[1]).join(" | "));
}"""


def scroll_through(page) -> None:
    """Scroll to the very bottom; the page grows as off-screen blocks get their real height."""
    y = 0
    while y < page.evaluate("document.documentElement.scrollHeight - innerHeight"):
        y += 400
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(100)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(100)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_no_wcag_violations(visit, site_url, path, scheme):
    assert AXE.is_file(), "axe-core comes with lighthouse: run `make install`"
    seen = visit(site_url + path, color_scheme=scheme, viewport={"width": 412, "height": 823})
    page = seen.page
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate('document.body.getAttribute("data-md-color-scheme")') == expected
    scroll_through(page)
    # axe reads colours from layout, which content-visibility skips far from the screen: lay out all.
    page.add_style_tag(content=".md-typeset * { content-visibility: visible !important; }")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE)
    assert violations == [], "\n".join(violations)


SHOW_FOCUS = """() => {
  const e = document.activeElement, style = getComputedStyle(e);
  return {inArticle: !!e.closest("article"), what: e.outerHTML.slice(0, 80),
          visible: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0};
}"""


@pytest.mark.parametrize("path", ["transformer/attention/", "notebooks/attention-from-scratch/"])
def test_keyboard_focus_is_visible_on_everything_in_the_article(visit, site_url, path):
    page = visit(site_url + path, viewport={"width": 412, "height": 823}).page
    stops = []
    # Past the header and the navigation (it grows with the site), then 40 stops into the article:
    # links, report buttons, code and formula scroll regions, notebook cells.
    for _ in range(300):
        page.keyboard.press("Tab")
        stops.append(page.evaluate(SHOW_FOCUS))
        if sum(s["inArticle"] for s in stops) >= 40:
            break
    in_article = [s for s in stops if s["inArticle"]]
    assert len(in_article) > 20, "Tab should reach the article's links and scroll regions"
    assert [s["what"] for s in in_article if not s["visible"]] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_with_results_has_no_wcag_violations(visit, site_url, scheme):
    """The search dialog (tests/browser/search.py opens it as a reader does) with results, highlighted
    words and the "more" button, on a phone, in both palettes."""
    from search import open_search, top_titles

    seen = visit(site_url, color_scheme=scheme, viewport={"width": 412, "height": 823})
    page = seen.page
    open_search(page)
    titles, _ = top_titles(page, "注意力")
    assert titles and page.locator(".md-search-result__list mark").count() > 0
    assert page.locator(".kb-search-more button").is_visible()
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE)
    assert violations == [], "\n".join(violations)
    assert seen.errors == []
