"""What a reader sees: pages load in chromium from loopback only, in Chinese, with working dark mode."""

from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CONTENT_PAGE = "transformer/attention/"
MATH_PAGE = "ml/loss-entropy/"


def foreign(requests):
    return [
        url for url in requests if urlparse(url).hostname not in {"127.0.0.1", None} and not url.startswith("data:")
    ]


@pytest.mark.parametrize("path", ["", CONTENT_PAGE])
def test_page_loads_from_loopback_only_without_console_errors(visit, site_url, path):
    seen = visit(site_url + path)
    assert seen.errors == []
    assert foreign(seen.requests) == []
    page = seen.page
    assert page.get_attribute("html", "lang") == "zh"
    assert page.get_attribute("input.md-search__input", "placeholder") == "搜索"
    assert page.locator("h1").first.inner_text().strip()


SCHEME = 'document.body.getAttribute("data-md-color-scheme")'
BROWSER_CHROME = """() => ({
  colorScheme: document.querySelector("meta[name=color-scheme]").content,
  themeColor: document.querySelector("meta[name=theme-color]").content,
  header: getComputedStyle(document.querySelector("header")).backgroundColor,
  toggles: [...document.querySelectorAll("form.md-header__option label")].filter(l => !l.hidden).length,
})"""


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_dark_mode_toggle_switches_the_palette_and_back(visit, site_url):
    seen = visit(site_url + CONTENT_PAGE, color_scheme="light")
    page = seen.page
    assert page.evaluate(SCHEME) == "default"
    to_dark, to_light = 'label[for="__palette_1"]', 'label[for="__palette_0"]'
    assert page.get_attribute("#__palette_0", "aria-label") == "切换到深色模式"
    page.locator(to_dark).click()
    page.wait_for_function(f"{SCHEME} === 'slate'")
    page.locator(to_light).click()
    page.wait_for_function(f"{SCHEME} === 'default'")
    assert seen.errors == []


@pytest.mark.parametrize(
    ("system", "scheme", "colour_scheme"), [("light", "default", "light"), ("dark", "slate", "dark")]
)
def test_browser_chrome_follows_the_palette(visit, site_url, system, scheme, colour_scheme):
    """theme-color (the phone's address bar) is the header's colour; one toggle, for the other palette."""
    seen = visit(site_url + CONTENT_PAGE, color_scheme=system)
    page = seen.page
    assert page.evaluate(SCHEME) == scheme
    chrome = page.evaluate(BROWSER_CHROME)
    assert chrome["colorScheme"] == colour_scheme
    assert rgb(chrome["themeColor"]) == chrome["header"]
    assert chrome["toggles"] == 1
    page.locator("form.md-header__option label:not([hidden])").click()
    page.wait_for_function(f"{SCHEME} !== '{scheme}'")
    after = page.evaluate(BROWSER_CHROME)
    assert after["colorScheme"] != colour_scheme and rgb(after["themeColor"]) == after["header"] != chrome["header"]
    assert seen.errors == []


def test_palette_choice_is_remembered_and_otherwise_follows_the_system(visit, site_url):
    page = visit(site_url + CONTENT_PAGE, color_scheme="light").page
    page.emulate_media(color_scheme="dark")  # no choice made yet: follow the system as it changes
    page.wait_for_function(f"{SCHEME} === 'slate'")
    page.emulate_media(color_scheme="light")
    page.wait_for_function(f"{SCHEME} === 'default'")
    page.focus("#__palette_0")
    page.keyboard.press("Enter")  # the keyboard way to the toggle
    page.wait_for_function(f"{SCHEME} === 'slate'")
    assert page.evaluate("document.activeElement.id") == "__palette_1"
    page.emulate_media(color_scheme="light")  # a choice outranks the system
    page.goto(site_url)
    assert page.evaluate(SCHEME) == "slate"


def test_formula_page_at_phone_width_has_math_and_no_horizontal_overflow(visit, site_url, tmp_path):
    seen = visit(site_url + MATH_PAGE, viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True)
    page = seen.page
    assert page.locator(".katex").count() > 5
    text = page.locator("article").inner_text()
    assert "$$" not in text and "\\(" not in text
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    assert overflow <= 0, f"page is {overflow}px wider than the phone screen"
    assert foreign(seen.requests) == [] and seen.errors == []
