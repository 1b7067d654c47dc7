"""Practice that remembers, as a reader uses it: grades after a revealed answer, kept in localStorage
across reloads; the 复习 queue following the Leitner schedule under a controlled clock; the 模拟面试
flow end to end; export, import and clear; keyboard only; offline from file://; no request to another
host. (Progress across mike versions: tests/test_versions.py.)"""

import json
import re
import zipfile
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from test_accessibility import AXE, RUN_AXE, scroll_through

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGE = "transformer/attention/"
TZ = ZoneInfo("Asia/Shanghai")
DAY0 = datetime(2026, 11, 30, 9, 0, tzinfo=TZ)


class Reader:
    """One browser profile (its localStorage persists across its pages) with a controlled clock."""

    def __init__(self, browser, base: str, now: datetime = DAY0, **options):
        self.context = browser.new_context(timezone_id="Asia/Shanghai", accept_downloads=True, **options)
        self.page = self.context.new_page()
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.clock.install(time=now)

    def open(self, path: str):
        self.page.goto(self.base + path, wait_until="load")
        self.page.wait_for_load_state("networkidle")
        return self.page

    def set_day(self, days: int) -> None:
        self.page.clock.set_system_time(DAY0 + timedelta(days=days))

    def progress(self) -> dict:
        return json.loads(self.page.evaluate("localStorage.getItem('kb.practice') || '{\"cards\": {}}'"))["cards"]

    def local_only(self) -> bool:
        return all(u.startswith((self.base, "data:", "blob:")) for u in self.requests)


@pytest.fixture
def reader(browser, site_url):
    readers = []

    def make(**options) -> Reader:
        readers.append(Reader(browser, site_url, **options))
        return readers[-1]

    yield make
    for r in readers:
        r.context.close()


def grade(page, question: str, knew: bool) -> str:
    """Reveal the answer of `question` in self-test mode and grade it; the status it shows."""
    page.locator(f".q-answer[data-question={question}]").evaluate("a => a.previousElementSibling.click()")
    bar = page.locator(f".kb-grade[data-question={question}]")
    bar.locator(".kb-grade-yes" if knew else ".kb-grade-no").click()
    return bar.locator(".kb-grade-status").inner_text()


def axe(page) -> list[str]:
    """WCAG violations axe finds on the page as it is now (everything laid out, as in test_accessibility)."""
    scroll_through(page)
    page.add_style_tag(content=".md-typeset * { content-visibility: visible !important; }")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def due_list(page) -> list[str]:
    """The questions the 复习 page shows, once review.js has run."""
    page.wait_for_selector(".kb-review[data-kb-ready]", state="attached")
    return page.eval_on_selector_all(".kb-review-list li.kb-q:not([hidden])", "els => els.map(e => e.dataset.id)")


def test_grades_appear_after_a_revealed_answer_and_survive_a_reload(reader):
    r = reader(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = r.open(PAGE)
    first, second = page.eval_on_selector_all(".q-answer", "els => els.slice(0, 2).map(e => e.dataset.question)")
    bar = page.locator(f".kb-grade[data-question={first}]")
    assert bar.count() == 1 and bar.is_hidden()  # reading mode: no grading
    page.locator(".kb-self-test-toggle").click()
    assert bar.is_hidden()  # self-test mode: the answer is not revealed yet
    assert grade(page, first, True) == "已记录：会了，第 2 盒，12 月 2 日再复习。"
    assert grade(page, second, False) == "已记录：不会，第 1 盒，12 月 1 日再复习。"
    cards = r.progress()
    assert (cards[first]["box"], cards[first]["due"], cards[second]["due"]) == (2, "2026-12-02", "2026-12-01")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('kb.practice'))") == ["kb.practice"]
    page.reload(wait_until="networkidle")
    page.locator(f".q-answer[data-question={first}]").evaluate("a => a.previousElementSibling.click()")
    assert bar.locator(".kb-grade-status").inner_text() == "上次：会了，第 2 盒，12 月 2 日再复习。"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert r.errors == [] and r.local_only()


def test_review_queue_follows_the_leitner_schedule(reader):
    r = reader()
    page = r.open(PAGE)
    a, b = page.eval_on_selector_all(".q-answer", "els => els.slice(0, 2).map(e => e.dataset.question)")
    page.locator(".kb-self-test-toggle").click()
    grade(page, a, True)  # box 2: due on day 2
    grade(page, b, False)  # box 1: due on day 1

    page = r.open("review/")
    assert due_list(page) == [] and page.locator(".kb-review-empty").is_visible()
    assert page.locator(".kb-due-badge").is_hidden()
    assert "已练习 2 道题，今天到期 0 道；第 1 盒 1 道、第 2 盒 1 道" in page.inner_text(".kb-progress-stats")

    r.set_day(1)
    page.reload(wait_until="networkidle")
    assert due_list(page) == [b]
    assert page.locator(".kb-due-badge").inner_text() == "1"
    assert page.get_attribute(".kb-review-link", "aria-label") == "复习：今天有 1 道题到期"

    r.set_day(2)
    page.reload(wait_until="networkidle")
    assert due_list(page) == [b, a]  # the longest overdue first
    assert page.locator(f"li[data-id={b}] .kb-q-due").inner_text() == "第 1 盒 · 逾期 1 天"
    assert page.locator(f"li[data-id={a}] .kb-q-due").inner_text() == "第 2 盒 · 今天到期"
    assert page.inner_text("#kb-review-count") == "今天到期 2 道题，显示 2 道"

    page.evaluate("localStorage.setItem('kb.selfTest', '0')")
    page.locator(f"li[data-id={a}] a").click()  # review from the queue: answers hidden
    page.wait_for_url(f"**/#{a}")
    page.wait_for_load_state("networkidle")
    assert page.locator(f".q-answer[data-question={a}]").is_hidden()
    assert grade(page, a, True) == "已记录：会了，第 3 盒，12 月 6 日再复习。"
    assert page.locator(f".kb-grade[data-question={a}] .kb-grade-back").inner_text() == "返回复习（还有 1 道题到期）"

    page = r.open("review/")
    assert due_list(page) == [b]
    r.set_day(5)
    page.reload(wait_until="networkidle")
    assert due_list(page) == [b]
    r.set_day(6)
    page.reload(wait_until="networkidle")
    assert due_list(page) == [b, a]
    level = page.locator(f"li[data-id={a}]").get_attribute("data-level")
    page.select_option("#kb-review-level", level)
    assert a in due_list(page) and all(
        page.locator(f"li[data-id={q}]").get_attribute("data-level") == level for q in due_list(page)
    )
    page.select_option("#kb-review-level", "")
    freq = page.locator(f"li[data-id={a}]").get_attribute("data-freq") or "none"
    page.select_option("#kb-review-freq", freq)
    assert a in due_list(page) and all(
        (page.locator(f"li[data-id={q}]").get_attribute("data-freq") or "none") == freq for q in due_list(page)
    )
    page.select_option("#kb-review-freq", "")
    page.select_option("#kb-review-topic", "机器学习基础")  # neither is about classical ML
    assert due_list(page) == [] and page.inner_text(".kb-review-empty") == "没有符合筛选条件的到期题。"
    assert r.errors == [] and r.local_only()


def test_mock_interview_end_to_end(reader):
    r = reader(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = r.open("mock-interview/")
    page.clock.pause_at(DAY0 + timedelta(minutes=1))  # time moves only when the test says so
    for box in page.locator("input[name=topic]").all():
        if box.get_attribute("value") != "Transformer":
            box.uncheck()
    page.fill("input[name=count]", "3")
    page.fill("input[name=minutes]", "1")
    page.evaluate("Math.random = () => 0.5")
    page.click("text=开始模拟面试")
    run = page.locator(".kb-mock-run")
    assert run.is_visible() and page.locator(".kb-mock-setup").is_hidden()
    assert run.locator(".kb-mock-progress").inner_text() == "第 1 / 3 题"
    assert run.locator("a").count() == 0 and page.locator(".q-answer").count() == 0  # no answers anywhere
    assert page.evaluate("document.activeElement.classList.contains('kb-mock-question')")
    titles = [run.locator(".kb-mock-question").inner_text()]
    page.clock.run_for(30_000)
    assert run.locator(".kb-mock-timer").inner_text() == "0:30"
    run.locator(".kb-mock-next").click()
    titles.append(run.locator(".kb-mock-question").inner_text())
    page.clock.run_for(70_000)
    assert run.locator(".kb-mock-timer").inner_text() == "1:10"
    assert "已超时" in run.locator(".kb-mock-limit").inner_text()
    run.locator(".kb-mock-next").click()
    titles.append(run.locator(".kb-mock-question").inner_text())
    assert run.locator(".kb-mock-next").inner_text() == "完成" and len(set(titles)) == 3
    page.clock.run_for(5_000)
    run.locator(".kb-mock-next").click()

    summary = page.locator(".kb-mock-summary")
    assert summary.is_visible()
    rows = summary.locator(".kb-mock-results li")
    assert rows.count() == 3
    assert summary.locator(".kb-mock-title").all_inner_texts() == titles
    assert summary.locator(".kb-mock-time").all_inner_texts() == ["用时 0:30", "用时 1:10（超时）", "用时 0:05"]
    assert "共用时 1:45" in summary.locator(".kb-mock-total").inner_text()
    hrefs = summary.locator(".kb-mock-title").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert all(re.search(r"/transformer/[a-z-]+/#[a-z0-9-]+$", h) for h in hrefs)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")  # fits a phone
    rows.nth(0).locator(".kb-grade-no").click()
    question = hrefs[0].rsplit("#", 1)[1]
    assert r.progress()[question]["box"] == 1
    rows.nth(0).locator("a").click()
    page.wait_for_url(f"**/#{question}")
    page.wait_for_selector(f"h2#{question}.q-title")  # the link leads to the answer
    assert r.errors == [] and r.local_only()


def test_stopping_early_and_asking_for_an_impossible_interview(reader):
    r = reader()
    page = r.open("mock-interview/")
    for box in page.locator("input[name=topic]").all():
        box.uncheck()
    page.click("text=开始模拟面试")
    assert page.inner_text(".kb-mock-error") == "请至少选择一个主题。"
    page.locator("input[name=topic]").first.check()
    page.clock.pause_at(DAY0 + timedelta(minutes=1))
    page.click("text=开始模拟面试")
    page.clock.run_for(12_000)
    page.click("text=结束面试")
    assert "答了 1 道题，共用时 0:12，提前结束，另有 4 道没有答" in page.inner_text(".kb-mock-total")
    page.click("text=再来一轮")
    assert page.locator(".kb-mock-setup").is_visible()
    assert r.errors == []


def test_export_clear_and_import_progress(reader, tmp_path):
    r = reader()
    page = r.open(PAGE)
    page.locator(".kb-self-test-toggle").click()
    ids = page.eval_on_selector_all(".q-answer", "els => els.slice(0, 3).map(e => e.dataset.question)")
    for q in ids:
        grade(page, q, False)
    page = r.open("review/")
    with page.expect_download() as download:
        page.click(".kb-export")
    exported = tmp_path / download.value.suggested_filename
    download.value.save_as(exported)
    assert exported.name == "ml-nlp-interview-progress-2026-11-30.json"
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "kb-practice" and sorted(data["cards"]) == sorted(ids)

    page.once("dialog", lambda dialog: dialog.dismiss())  # changed their mind
    page.click(".kb-clear")
    assert len(r.progress()) == 3
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.click(".kb-clear")
    assert messages == ["确定清除全部 3 道题的练习进度吗？清除后不能恢复，可以先导出备份。"]
    assert r.progress() == {} and page.inner_text(".kb-progress-stats") == "还没有练习记录。"

    page.set_input_files(".kb-import-file", str(exported))
    expect(page.locator(".kb-progress-message")).to_have_text("已导入 3 道题的记录。")  # read asynchronously
    assert sorted(r.progress()) == sorted(ids)
    r.set_day(1)
    page.reload(wait_until="networkidle")
    assert sorted(due_list(page)) == sorted(ids)  # imported cards are scheduled as before
    broken = tmp_path / "notes.json"
    broken.write_text('{"hello": 1}', encoding="utf-8")
    page.set_input_files(".kb-import-file", str(broken))
    expect(page.locator(".kb-progress-message")).to_have_text("导入失败：这不是本站导出的进度文件。")
    assert sorted(r.progress()) == sorted(ids)  # nothing lost
    assert r.errors == [] and r.local_only()


def tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until the focused element matches `selector` (keyboard only, no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_practice_with_the_keyboard_alone(reader):
    r = reader()
    page = r.open(PAGE)
    first = page.eval_on_selector(".q-answer", "e => e.dataset.question")
    tab_to(page, ".kb-self-test-toggle")
    page.keyboard.press("Enter")
    tab_to(page, ".kb-reveal")
    page.keyboard.press("Enter")
    tab_to(page, ".kb-grade-yes")
    page.keyboard.press("Enter")
    assert r.progress()[first]["box"] == 2
    r.set_day(2)
    page.reload(wait_until="networkidle")
    tab_to(page, ".kb-review-link")
    page.keyboard.press("Enter")
    page.wait_for_url("**/review/")
    page.wait_for_load_state("networkidle")
    tab_to(page, f"li[data-id={first}] a")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/#{first}")

    page = r.open("mock-interview/")
    tab_to(page, ".kb-mock-setup button[type=submit]")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('kb-mock-question')")
    for _ in range(5):
        tab_to(page, ".kb-mock-next")
        page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.closest('.kb-mock-summary') !== null")
    assert page.locator(".kb-mock-results li").count() == 5
    assert r.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_practice_states_pass_axe(reader, scheme):
    r = reader(color_scheme=scheme, viewport={"width": 412, "height": 823})  # as test_accessibility
    page = r.open(PAGE)
    page.locator(".kb-self-test-toggle").click()
    first = page.eval_on_selector(".q-answer", "e => e.dataset.question")
    grade(page, first, False)
    assert axe(page) == []  # a revealed answer with its grade bar
    r.set_day(1)
    page = r.open("review/")
    assert due_list(page) == [first]
    assert axe(page) == []  # the queue with a due question, the badge
    page = r.open("mock-interview/")
    page.click("text=开始模拟面试")
    assert axe(page) == []  # a question being asked
    page.click("text=结束面试")
    # the summary's buttons appear under the pointer: move it away and let the hover transition end,
    # or axe reads a colour halfway through it
    page.mouse.move(0, 0)
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    assert page.evaluate(RUN_AXE) == []  # the summary


def test_practice_works_from_the_offline_bundle(browser, built_site, tmp_path):
    with zipfile.ZipFile(built_site.site / "downloads" / "ml-nlp-interview-offline.zip") as archive:
        archive.extractall(tmp_path)
    r = Reader(browser, (tmp_path / "ml-nlp-interview").as_uri() + "/")
    try:
        page = r.open("transformer/attention.html")
        page.locator(".kb-self-test-toggle").click()
        first = page.eval_on_selector(".q-answer", "e => e.dataset.question")
        grade(page, first, False)
        r.set_day(1)
        page.reload(wait_until="networkidle")
        page.locator(".kb-review-link").click()
        page.wait_for_url("**/review.html")
        assert due_list(page) == [first]
        page.locator(f"li[data-id={first}] a").click()
        page.wait_for_url(f"**/transformer/attention.html#{first}")
        page = r.open("mock-interview.html")
        page.click("text=开始模拟面试")
        page.click("text=结束面试")
        href = page.locator(".kb-mock-title").first.get_attribute("href")
        assert href.startswith("file://") and ".html#" in href
        assert r.errors == [] and all(u.startswith(("file://", "data:")) for u in r.requests)
    finally:
        r.context.close()
