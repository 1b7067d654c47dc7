"""Type queries into the built site's real search box and read the results (browser tests and bench).

Engine-neutral: it reads only what a reader sees — the search box, the result count line and the
result titles (`.md-search-result__link` h1 for a page, h2 for a question) — so the same code measures
any search implementation that renders into that markup.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

QUERIES = Path(__file__).resolve().parents[1] / "search_queries.tsv"
TOP = 5
SPLITS = ("tune", "heldout")
# The kinds of query issue 25 named (Latin next to Chinese, phrases, the question's own words, symbols
# and their names, synonyms): recall@5 at least RECALL on each, and on the held-out part (browser
# tests and `make bench`).
ISSUE_KINDS = ("mixed", "phrase", "question", "symbol", "synonym")
RECALL = 0.95


@dataclass(frozen=True)
class Query:
    """One line of tests/search_queries.tsv."""

    text: str
    pattern: str
    split: str
    kind: str


class QueryFileError(Exception):
    """A malformed line in the query file; the message names it."""


def load_queries(path: Path = QUERIES) -> list[Query]:
    """Every query of the file, in order. Raises QueryFileError on a line without four columns, an
    unknown split, a regex that does not compile, or a query written twice."""
    queries: list[Query] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != 4 or not all(c.strip() for c in columns):
            raise QueryFileError(f"{path.name}:{number}: expected query, regex, split, kind separated by tabs")
        text, pattern, split, kind = (c.strip() for c in columns)
        if split not in SPLITS:
            raise QueryFileError(f"{path.name}:{number}: split must be one of {SPLITS}, not {split!r}")
        try:
            re.compile(pattern)
        except re.error as error:
            raise QueryFileError(f"{path.name}:{number}: bad regex {pattern!r}: {error}") from error
        queries.append(Query(text, pattern, split, kind))
    repeated = [q for q, n in Counter(q.text for q in queries).items() if n > 1]
    if repeated:
        raise QueryFileError(f"{path.name}: queries written twice: {repeated}")
    return queries


BOX = "input.md-search__input"
# Result titles as readers see them (no zero-width spaces), in the order shown.
TITLE_TEXTS = "els => els.map(e => e.textContent.replaceAll('\\u200b', '').trim())"
TITLES = ".md-search-result__link :is(h1,h2)"

# Records when the reader last typed (the box's input event) and when the result list last changed,
# so latency is measured in the page, from the keystroke, not from Playwright's own steps around it.
WATCH_RESULTS = """() => {
  if (window.__kbWatch) return;
  const watch = window.__kbWatch = {typed: 0, changed: 0};
  document.querySelector('input.md-search__input')
    .addEventListener('input', () => { watch.typed = performance.now(); }, true);
  new MutationObserver(() => { watch.changed = performance.now(); })
    .observe(document.querySelector('.md-search-result'), {childList: true, subtree: true, characterData: true});
}"""
SETTLED = """([q, since]) => {
  const meta = document.querySelector('.md-search-result__meta'), watch = window.__kbWatch;
  return document.querySelector('input.md-search__input').value === q && meta && /\\d|没有/.test(meta.textContent)
      && watch.typed > since && watch.changed > watch.typed && performance.now() - watch.changed > 250;
}"""


def open_search(page) -> None:
    """Open search as a reader does: focus the box, or on a phone tap the search button first (either
    starts loading what search needs)."""
    if not page.locator(BOX).is_visible():
        page.locator("label.md-header__button[for='__search']").click()
    page.locator(BOX).focus()
    page.evaluate(WATCH_RESULTS)


def top_titles(page, query: str, timeout: float = 30_000) -> tuple[list[str], float]:
    """Titles of the first results for a query typed into the focused box, and the seconds from the
    keystroke (the input event) to the last change of the result list, measured in the page."""
    page.evaluate(WATCH_RESULTS)
    box = page.locator(BOX)
    box.fill("")
    box.press("End")
    since = page.evaluate("performance.now()")
    box.fill(query)
    # key events, as from real typing (Material's own search answers keyup); through the keyboard, not
    # the locator, whose checks would run in the page while it searches and count as search time
    page.keyboard.press("End")
    page.wait_for_function(SETTLED, arg=[query, since], timeout=timeout, polling=100)
    titles = page.eval_on_selector_all(TITLES, TITLE_TEXTS)
    seconds = page.evaluate("(window.__kbWatch.changed - window.__kbWatch.typed) / 1000")
    return titles[:TOP], seconds


def top_group(page, query: str) -> list[str]:
    """The first result as a reader sees it: the page title and its best-matching questions."""
    top_titles(page, query)
    return page.eval_on_selector_all(f".md-search-result__item:first-child {TITLES}", TITLE_TEXTS)


def answer_rank(query: Query, titles: list[str]) -> int:
    """The place of the first title that answers the query (1 for the first title), 0 if none does."""
    return next((i for i, title in enumerate(titles, 1) if re.search(query.pattern, title, re.I)), 0)


def found(query: Query, titles: list[str]) -> bool:
    """Whether one of the titles answers the query."""
    return answer_rank(query, titles) > 0


@dataclass
class Recall:
    """recall@k (k <= 5) of a run: overall, per split and per kind; misses (not in the top five) as
    readable lines; latencies (s). `hits` holds, per (split, kind), each query's answer_rank."""

    hits: dict[tuple[str, str], list[int]]
    misses: list[tuple[Query, list[str]]]
    latencies: list[float]

    def score(self, split: str | None = None, kind: str | None = None, top: int = TOP) -> float:
        """The share of the queries picked whose answer is among the first `top` titles."""
        picked = [h for (s, k), hs in self.hits.items() for h in hs if split in (None, s) and kind in (None, k)]
        return sum(0 < h <= top for h in picked) / len(picked) if picked else float("nan")

    def count(self, split: str | None = None, kind: str | None = None) -> int:
        return sum(len(hs) for (s, k), hs in self.hits.items() if split in (None, s) and kind in (None, k))

    @property
    def kinds(self) -> list[str]:
        return sorted({k for _, k in self.hits})

    def miss_lines(self, split: str | None = None) -> list[str]:
        return [f"{q.text!r} [{q.kind}] wants /{q.pattern}/: {t}" for q, t in self.misses if split in (None, q.split)]

    @classmethod
    def joined(cls, parts: list[Recall]) -> Recall:
        """One run made of runs over consecutive parts of the query file, in order."""
        hits: dict[tuple[str, str], list[int]] = defaultdict(list)
        for part in parts:
            for key, ranks in part.hits.items():
                hits[key].extend(ranks)
        return cls(dict(hits), [m for p in parts for m in p.misses], [t for p in parts for t in p.latencies])


def recall(page, queries: list[Query], shown: list[str] | None = None) -> Recall:
    """Type every query into the focused search box of `page`; a query is found when one of the top
    five titles matches its regex. The titles shown are added to `shown` if given."""
    hits: dict[tuple[str, str], list[int]] = defaultdict(list)
    misses, latencies = [], []
    for query in queries:
        titles, seconds = top_titles(page, query.text)
        if shown is not None:
            shown.extend(titles)
        latencies.append(seconds)
        rank = answer_rank(query, titles)
        hits[(query.split, query.kind)].append(rank)
        if not rank:
            misses.append((query, titles))
    return Recall(dict(hits), misses, latencies)
