"""Pure helpers: find answers written out twice across pages (one home per answer).

An answer is the prose under a question heading (`## …？ {#id level=…}`) up to the next `##`, without
code blocks, tables and link URLs. Two answers on different pages are twins when
- they share a passage of RUN characters (letters and digits only) — a pasted paragraph, or
- the cosine similarity of their TF-IDF vectors (jieba words and word pairs) is at least SIMILAR — the
  same answer retold. Calibrated on this site: the six answers that had been written twice scored
  0.18–0.25; distinct answers on related questions reach about 0.23 too, which is why the check reports
  candidates for a person to judge (tests/test_answer_twins.py keeps the pairs judged related, with why),
unless the shorter one is a summary (at most SUMMARY characters) that links to the other's page: the
two or three sentences that point at the one home.

Used by tests/test_answer_twins.py. Nothing here imports MkDocs.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from page_rules import CLOSING_SECTIONS, find_links, is_external, prose_lines

SIMILAR = 0.18
RUN = 40
MIN_LENGTH = 100  # normalised characters; shorter answers are pointers, not answers
SUMMARY = 300  # normalised characters: about three sentences of Chinese

_HEADING = re.compile(r"^## (?P<title>.+?)\s*(?:\{(?P<attrs>[^}]*)\})?\s*$")
_ID = re.compile(r"#([\w-]+)")
_LINK_TEXT = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MATH = re.compile(r"\$[^$]*\$")
_TAG = re.compile(r"<[^>\n]+>")  # raw HTML, e.g. an embedded calculator's placeholder


@dataclass(frozen=True)
class Answer:
    page: str  # path under docs/, e.g. dl/normalization.md
    id: str  # the question id
    line: int  # of the question heading
    prose: str  # link texts kept, URLs, math and HTML tags dropped
    links_to: frozenset[str]  # pages this answer links to

    @property
    def key(self) -> str:
        return f"{self.page}#{self.id}"

    @property
    def letters(self) -> str:
        """The prose as lowercase letters and digits only."""
        return re.sub(r"[\W_]+", "", self.prose.lower())


def answers(text: str, page: str) -> list[Answer]:
    """The answers of one page (its question sections), with the pages each links to."""
    found, lines, heading = [], [], None

    def close():
        if heading is not None:
            body = "\n".join(lines)
            targets = {
                posixpath.normpath(posixpath.join(posixpath.dirname(page), t.partition("#")[0]))
                for _, t in find_links(body, page)
                if not is_external(t) and t.partition("#")[0]
            }
            prose = _TAG.sub(" ", _MATH.sub(" ", _LINK_TEXT.sub(r"\1", body)))
            found.append(Answer(page, heading[0], heading[1], prose, frozenset(targets)))

    for number, line in prose_lines(text, page):
        match = _HEADING.match(line)
        if match:
            close()
            qid = _ID.search(match.group("attrs") or "")
            closing = match.group("title").strip() in CLOSING_SECTIONS
            heading, lines = (None if closing or not qid else (qid.group(1), number)), []
        elif heading is not None and not line.lstrip().startswith("|"):
            lines.append(line)
    close()
    return found


def summary_of(short: Answer, full: Answer) -> bool:
    """The short answer is two or three sentences pointing at the full one's page."""
    return len(short.letters) <= SUMMARY and full.page in short.links_to


def _runs(text: str) -> set[str]:
    return {text[i : i + RUN] for i in range(len(text) - RUN + 1)}


def twins(all_answers: list[Answer], words) -> list[tuple[Answer, Answer, str]]:
    """Pairs of answers on different pages that say the same answer twice, with the reason.

    `words` splits a text into words (e.g. jieba.lcut); the similarity is computed with scikit-learn's
    TfidfVectorizer (sublinear tf, words and word pairs) and cosine similarity.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer

    long = [a for a in all_answers if len(a.letters) >= MIN_LENGTH]
    vectors = TfidfVectorizer(
        tokenizer=words, token_pattern=None, lowercase=True, sublinear_tf=True, ngram_range=(1, 2)
    )
    matrix = vectors.fit_transform([a.prose for a in long])
    similarity = (matrix @ matrix.T).toarray()  # rows are L2-normalised: this is the cosine
    runs = [_runs(a.letters) for a in long]
    found = []
    for i, a in enumerate(long):
        for j in range(i + 1, len(long)):
            b = long[j]
            if a.page == b.page or summary_of(a, b) or summary_of(b, a):
                continue
            if runs[i] & runs[j]:
                found.append((a, b, f"they share a passage of {RUN}+ characters"))
            elif similarity[i, j] >= SIMILAR:
                found.append((a, b, f"TF-IDF cosine {similarity[i, j]:.2f} ≥ {SIMILAR}"))
    return found
