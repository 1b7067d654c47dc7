"""Reader features: self-test mode, the generated question index, random question, badges."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE = "transformer/attention/"
OTHER = "plm/bert/"


def visible_answers(page) -> int:
    return page.eval_on_selector_all(".q-answer", "els => els.filter(e => e.offsetParent !== null).length")


def test_self_test_hides_answers_reveals_one_and_persists_across_pages(visit, site_url):
    seen = visit(site_url + PAGE, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = seen.page
    total = page.locator(".q-answer").count()
    assert total > 3 and visible_answers(page) == total
    page.locator(".kb-self-test-toggle").click()
    assert page.get_attribute(".kb-self-test-toggle", "aria-pressed") == "true"
    assert visible_answers(page) == 0
    page.locator(".kb-reveal").first.click()
    assert visible_answers(page) == 1
    page.goto(site_url + OTHER, wait_until="networkidle")  # a new page load: the choice is remembered
    assert page.locator(".q-answer").count() > 3 and visible_answers(page) == 0
    page.locator(".kb-self-test-toggle").click()
    assert visible_answers(page) == page.locator(".q-answer").count()
    assert seen.errors == []


def test_question_index_lists_every_question_and_filters_by_level_and_tag(visit, site_url, built_site):
    import page_rules
    from conftest import ROOT

    expected = sum(
        len(page_rules.find_questions(p.read_text(encoding="utf-8"), str(p))[0]) for p in (ROOT / "docs").glob("*/*.md")
    )
    seen = visit(site_url + "questions/")
    page = seen.page
    items = page.locator("ul.q-index li")
    assert items.count() == expected
    page.select_option("#q-filter-level", "深入")
    levels = page.eval_on_selector_all("ul.q-index li:not([hidden])", "els => els.map(e => e.dataset.level)")
    assert 0 < len(levels) < expected and set(levels) == {"深入"}
    assert page.inner_text("#q-filter-count") == f"显示 {len(levels)} 道题"
    page.select_option("#q-filter-level", "")
    page.select_option("#q-filter-tag", "BERT")
    tags = page.eval_on_selector_all("ul.q-index li:not([hidden])", "els => els.map(e => e.dataset.tags)")
    assert tags and all("BERT" in t.split("|") for t in tags)
    page.locator("ul.q-index li:not([hidden]) a").first.click()
    page.wait_for_load_state("networkidle")
    anchor = page.url.split("#")[1]
    assert page.locator(f"h2#{anchor}.q-title").count() == 1
    assert seen.errors == []


def test_random_question_opens_an_existing_question(visit, site_url):
    seen = visit(site_url + PAGE)
    page = seen.page
    for draw in (0.1, 0.5, 0.9):  # pinned draws: three different questions, no flaky repeats
        before = page.url
        page.evaluate(f"Math.random = () => {draw}")
        page.locator(".kb-random").click()
        page.wait_for_url(lambda url, before=before: url != before and re.search(r"/#[a-z0-9-]+$", url))
        anchor = page.url.rsplit("#", 1)[1]
        page.wait_for_selector(f"h2#{anchor}.q-title")  # the URL changes before the new page is parsed
    page.goto(site_url + PAGE, wait_until="networkidle")
    page.evaluate("Math.random = () => 0.99")
    page.locator(".kb-random-topic").click()
    page.wait_for_url(re.compile(r".*/transformer/[a-z-]+/#[a-z0-9-]+$"))  # same topic: Transformer
    assert seen.errors == []


def test_every_question_heading_shows_its_difficulty(visit, site_url):
    page = visit(site_url + PAGE).page
    titles = page.locator("h2.q-title")
    assert titles.count() > 3
    for i in range(titles.count()):
        badge = titles.nth(i).locator(".q-badge").first.inner_text()
        assert badge in {"基础", "进阶", "深入"}
    assert page.locator("h2[level]").count() == 0  # the source syntax never reaches the HTML


LONG_PAGE = "ml/boosting/"  # the longest topic page: most of it is laid out only near the screen


def top_below_header(page, heading_id: str) -> float:
    return page.evaluate(
        f"document.getElementById({heading_id!r}).getBoundingClientRect().top"
        " - document.querySelector('.md-header').getBoundingClientRect().bottom"
    )


def test_links_to_headings_deep_in_a_long_page_land_on_them(visit, site_url, built_site):
    html = (built_site.site / LONG_PAGE / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'<h2 id="([^"]+)"', html)
    deep, deeper = ids[len(ids) * 2 // 3], ids[-2]
    page = visit(f"{site_url}{LONG_PAGE}#{deep}", viewport={"width": 412, "height": 823}).page  # a shared link
    page.wait_for_timeout(1000)  # the blocks around the heading are laid out by now
    assert 0 <= top_below_header(page, deep) <= 100, deep
    page.evaluate(f"location.hash = {deeper!r}")  # then a link in the page, as in the table of contents
    page.wait_for_timeout(1000)
    assert 0 <= top_below_header(page, deeper) <= 100, deeper
