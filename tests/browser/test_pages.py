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


def test_dark_mode_toggle_switches_the_palette_and_back(visit, site_url):
    seen = visit(site_url + CONTENT_PAGE, color_scheme="light")
    page = seen.page
    scheme = 'document.body.getAttribute("data-md-color-scheme")'
    assert page.evaluate(scheme) == "default"
    to_dark, to_light = 'label[for="__palette_1"]', 'label[for="__palette_0"]'
    assert page.get_attribute("#__palette_0", "aria-label") == "切换到深色模式"
    page.locator(to_dark).click()
    page.wait_for_function(f'{scheme} === "slate"')
    page.locator(to_light).click()
    page.wait_for_function(f'{scheme} === "default"')
    assert seen.errors == []


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
