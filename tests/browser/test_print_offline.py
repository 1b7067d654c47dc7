"""The print view and the offline bundle, as a reader opens them."""

import zipfile

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_print_view_renders_without_errors_or_foreign_requests(visit, site_url):
    seen = visit(site_url + "print/")
    page = seen.page
    assert page.locator("article.kb-print-page").count() >= 26
    assert page.locator(".katex").count() > 500
    assert seen.errors == []
    assert all(url.startswith(site_url) or url.startswith("data:") for url in seen.requests)


def test_offline_bundle_works_from_file_urls_with_search(visit, built_site, tmp_path):
    with zipfile.ZipFile(built_site.site / "downloads" / "ml-nlp-interview-offline.zip") as archive:
        archive.extractall(tmp_path)
    index = tmp_path / "ml-nlp-interview" / "index.html"
    seen = visit(index.as_uri())
    page = seen.page
    assert "ML/NLP" in page.title()
    page.locator("input.md-search__input").fill("KV Cache")
    page.locator("input.md-search__input").press("End")
    page.wait_for_selector(".md-search-result__item")
    assert page.locator(".md-search-result__item").count() > 0
    page.locator(".md-search-result__link").first.click()  # open the top result, as a reader would
    page.wait_for_load_state()
    assert page.url.startswith("file://") and ".html" in page.url
    assert page.locator(".katex").count() > 5
    assert all(u.startswith("file://") or u.startswith("data:") for u in seen.requests)
