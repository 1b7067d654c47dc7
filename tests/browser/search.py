"""Type queries into the built site's real search box and read the top results (tests and bench)."""

from __future__ import annotations

import re
import time
from pathlib import Path

QUERIES = Path(__file__).resolve().parents[1] / "search_queries.tsv"
TOP = 5


def load_queries() -> list[tuple[str, str]]:
    rows = [line.split("\t") for line in QUERIES.read_text(encoding="utf-8").splitlines()]
    return [(q.strip(), r.strip()) for q, r in (row for row in rows if len(row) == 2 and not row[0].startswith("#"))]


def open_search(page) -> None:
    page.wait_for_function("document.querySelector('.md-search-result__meta') !== null")


# Result titles as readers see them: without \u200b, jieba's word boundaries in the index.
TITLE_TEXTS = "els => els.map(e => e.textContent.replaceAll('\\u200b', '').trim())"


def top_titles(page, query: str) -> tuple[list[str], float]:
    """Titles of the first results for a query typed like a person would, and seconds to results."""
    box = page.locator("input.md-search__input")
    box.fill("")
    start = time.perf_counter()
    box.fill(query)
    box.press("End")  # Material listens for key events, as from real typing
    page.wait_for_function(
        """q => {
            const meta = document.querySelector('.md-search-result__meta');
            return document.querySelector('input.md-search__input').value === q
                && meta && /\\d|没有/.test(meta.textContent);
        }""",
        arg=query,
    )
    previous = None
    while True:  # results may update once more as the worker answers the last keystroke
        titles = page.eval_on_selector_all(".md-search-result__link :is(h1,h2)", TITLE_TEXTS)
        if titles == previous:
            break
        previous = titles
        page.wait_for_timeout(60)
    return titles[:TOP], time.perf_counter() - start


def top_group(page, query: str) -> list[str]:
    """The first result as a reader sees it: the page title and its best-matching sections."""
    top_titles(page, query)
    return page.eval_on_selector_all(
        ".md-search-result__item:first-child .md-search-result__link :is(h1,h2)", TITLE_TEXTS
    )


def recall(page, queries: list[tuple[str, str]]) -> tuple[float, list[str], list[float]]:
    misses, latencies = [], []
    for query, pattern in queries:
        titles, seconds = top_titles(page, query)
        latencies.append(seconds)
        if not any(re.search(pattern, t, re.I) for t in titles):
            misses.append(f"{query!r}: {titles}")
    return 1 - len(misses) / len(queries), misses, latencies
