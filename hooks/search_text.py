"""Pure helpers for the search index (hooks/search_index.py): a page's HTML cut into one record per
question, and the words of a text as the index stores them.

Words. Chinese has no spaces, and no segmenter agrees with another (jieba at build time, Intl.Segmenter
in each browser), so the index does not guess words: every run of Chinese characters is stored as its
overlapping pairs (学习率 → 学习 习率, then the run's last character), and a query is cut the same
way by overrides/assets/javascripts/search.js. A query pair matches exactly the same pair in the text,
so the characters of the query must all appear, and a phrase search over the pairs is a substring
search: 学习率 finds 学习率 and not 学习 … 效率; mixed scripts need no dictionary (L1正则 → l1 正则).
Other words (Latin letters, digits, Greek) are kept whole, and Pagefind lower-cases and stems them.
Each record also stores each of its Chinese characters once (卡〆, CHARACTER), which a query searched
by its characters looks up.
The same function written in JavaScript must give the same words: tests/hooks/test_search_text.py
runs both over the same strings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A Chinese run; a word (letters, digits and _ with inner joiners: GPT-3, d_k, 1/3, pass@k, 0.95);
# anything else that is not a space (punctuation, symbols), one character at a time.
_TOKEN = re.compile(rf"([{HAN}]+)|((?:[^\W{HAN}]|_)+(?:[-.'/@+#](?:[^\W{HAN}]|_)+)*)|(\S)")
# Marks where the text a reader sees ends and the synonyms added for search begin, in a record that has
# synonyms (the build cuts the records' stored text there). A private-use character: it never occurs
# in the pages.
SYNONYMS_MARK = "\ue000"
# Appended to a stored word that a space followed in the text, so search.js can show the text as it
# was written (Pagefind separates stored words by spaces and drops characters that are not letters).
SPACE_AFTER = "\ue001"


# Follows the last character of a run in the text (学习率 → 学习 习率 率〇), and every other word of
# one letter or digit (T → T〇), so that a query for one character finds it (a query's word matches the
# stored words it begins) while no stored word is a single character: Pagefind matches a query word
# that no stored word begins with the longest stored word that begins it (tranformer → t), which is
# then never a single character.
RUN_END = "\u3007"


# Follows each Chinese character of a record, stored once after its text and weighted by how often the
# record has it (卡〆, character_words). When search.js searches a query by its characters (or a
# character alone), each is then one stored word, in one index file, in every record that has it. As
# the beginning of pairs (卡 in 卡数, 显卡 … 卡〇) a character would match only the pairs in the index
# files downloaded so far, which depend on the reader's earlier queries: a character's pairs span up
# to 10 files at 10x the pages.
CHARACTER = "\u3006"
_HAN_CHARACTER = re.compile(f"[{HAN}]")


def han_pairs(run: str, last: bool) -> list[str]:
    """The overlapping pairs of a run of Chinese characters; with `last` (the text, not a query) its
    last character too, followed by RUN_END. A one-character query stays that character (search.js
    then looks it up as stored once per record, CHARACTER)."""
    pairs = [run[i : i + 2] for i in range(len(run) - 1)]
    if last:
        return pairs + [run[-1] + RUN_END]
    return pairs or [run]


def index_words(text: str) -> list[str]:
    """The words of a text as stored in the index: Chinese as pairs, other words whole (one-character
    words followed by RUN_END), and
    each punctuation mark as a word of its own (Pagefind keeps it for excerpts and indexes nothing
    for it). A word that a space followed carries SPACE_AFTER."""
    words: list[str] = []
    for match in _TOKEN.finditer(text):
        han, word, other = match.groups()
        if han:
            words += han_pairs(han, last=True)
        elif word:
            words.append(word + RUN_END if len(word) == 1 else word)
        elif other in (SYNONYMS_MARK, SPACE_AFTER):
            continue
        else:
            words.append(other)
        if match.end() < len(text) and text[match.end()].isspace():
            words[-1] += SPACE_AFTER
    return words


def character_words(text: str, title: str = "", title_weight: int = 1, most: int = 10) -> dict[int, list[str]]:
    """Each Chinese character of `title` and `text` once, followed by CHARACTER, grouped by its weight:
    the times it occurs (title_weight for each time in the title), at most `most` (Pagefind's largest
    weight, data-pagefind-weight). Weights ascending; characters in the order first counted."""
    counts: dict[str, int] = {}
    for c in _HAN_CHARACTER.findall(text):
        counts[c] = counts.get(c, 0) + 1
    for c in _HAN_CHARACTER.findall(title):
        counts[c] = counts.get(c, 0) + title_weight
    groups: dict[int, list[str]] = {}
    for c, n in counts.items():
        groups.setdefault(min(n, most), []).append(c + CHARACTER)
    return dict(sorted(groups.items()))


def shown_text(words: list[str]) -> str:
    """The text a reader sees from stored words, up to SYNONYMS_MARK (the inverse of index_words up to
    runs of spaces; search.js does the same in the browser)."""
    out: list[str] = []
    for word in words:
        if word == SYNONYMS_MARK:
            break
        spaced = word.endswith(SPACE_AFTER)
        word = word.removesuffix(SPACE_AFTER)
        out.append(word[0] if re.match(f"[{HAN}]", word) else word.removesuffix(RUN_END))
        if spaced:
            out.append(" ")
    return "".join(out).strip()


def normalised(word: str) -> str:
    """A stored word as Pagefind matches it: lower case, only letters, digits and _ (GPT-3 → gpt3)."""
    return "".join(c for c in word.lower() if c.isalnum() or c == "_")


def is_latin_word(word: str) -> bool:
    """Whether a normalised word is spelt in letters (for spelling correction): ASCII, a letter, 3+ long."""
    return len(word) >= 3 and word.isascii() and any(c.isalpha() for c in word)


def query_words(query: str) -> list[str]:
    """The words of a query, as overrides/assets/javascripts/search.js cuts it (without punctuation).
    A word of one letter or digit that more of the query follows is complete: it is looked up as
    index_words stores it (followed by RUN_END), not as the beginning of longer words."""
    tokens = [(han, word) for han, word, _ in _TOKEN.findall(unicodedata.normalize("NFKC", query)) if han or word]
    words: list[str] = []
    for i, (han, word) in enumerate(tokens):
        if han:
            words += han_pairs(han, last=False)
        else:
            words.append(word.lower() + RUN_END if len(word) == 1 and i < len(tokens) - 1 else word.lower())
    return words


@dataclass
class Section:
    """A question (an h2 with an id) or a page's introduction (anchor "")."""

    anchor: str
    title: str
    text: list[str] = field(default_factory=list)
    formulas: list[str] = field(default_factory=list)  # displayed formulas: searched, not shown
    keys: list[str] = field(default_factory=list)  # the answer's bold terms: what it is about


# Elements whose text is not part of the answer a reader searches for.
_SKIP_TAGS = {"script", "style", "svg", "pre", "button", "kb-badges", "kb-math-visual"}
_SKIP_CLASSES = {"headerlink", "anchor-link", "md-question-report", "katex-html"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_BLOCK = {
    "p", "div", "li", "ul", "ol", "table", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6",
    "details", "summary", "blockquote", "dt", "dd", "br", "article", "section", "figure", "figcaption",
}  # fmt: skip
# Formulas are searched through their TeX (KaTeX keeps it in the MathML): Greek letters and a few
# operators become their symbols (then found by name too, see symbols.txt), layout commands go.
_TEX_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "eta": "η",
    "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ",
    "omega": "ω", "Sigma": "Σ", "sum": "Σ", "prod": "∏", "sqrt": "√", "partial": "∂", "nabla": "∇",
    "cdot": "·", "times": "×", "approx": "≈", "infty": "∞", "log": "log", "exp": "exp", "max": "max",
    "min": "min", "softmax": "softmax", "KL": "KL",
}  # fmt: skip
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+)")


def tex_text(tex: str) -> str:
    """A formula's TeX as searchable text: \\beta → β, \\sqrt{d_k} → √d_k, layout commands and braces
    removed (d_k and q_i stay words)."""
    text = _TEX_COMMAND.sub(lambda m: _TEX_SYMBOLS.get(m[1], " "), tex)
    text = re.sub(r"[_^]\{", " ", text)
    return " ".join(re.sub(r"[}^]|\\.", " ", text.replace("{", "")).split())


class _Sections(HTMLParser):
    """Collects the visible text of an article's HTML, cut at every h2 that has an id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections = [Section("", "")]
        self.skipping = 0  # depth inside an element that is not searched
        self.stack: list[bool] = []  # for each open element: does it start a skipped region
        self.heading: list[str] | None = None  # text of the h1/h2 being read
        self.heading_tag = ""
        self.in_math = 0
        self.in_tex = False
        self.display = 0  # depth inside a displayed formula
        self.stack_display: list[bool] = []
        self.strong: list[str] | None = None  # text of the <strong> being read

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        skip = tag in _SKIP_TAGS or "data-search-exclude" in attributes or bool(classes & _SKIP_CLASSES)
        if tag == "math":
            self.in_math += 1
        display = "katex-display" in classes
        if tag == "annotation" and attributes.get("encoding") == "application/x-tex":
            self.in_tex = True
        if tag == "strong" and not self.skipping and self.heading is None:
            self.strong = []
        if tag in ("h1", "h2") and not self.skipping:
            self.heading, self.heading_tag = [], tag
            if tag == "h2":
                self.sections.append(Section(attributes.get("id") or "", ""))
        if tag in _BLOCK:
            self._text(" ")
        if tag in _VOID:
            return
        self.stack.append(skip)
        self.skipping += skip
        self.stack_display.append(display)
        self.display += display

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if tag == "math":
            self.in_math -= 1
        if tag == "annotation":
            self.in_tex = False
        if self.stack:
            self.skipping -= self.stack.pop()
            self.display -= self.stack_display.pop()
        if tag == "strong" and self.strong is not None:
            key = " ".join("".join(self.strong).split())
            if key:
                self.sections[-1].keys.append(key)
            self.strong = None
        if tag == self.heading_tag and self.heading is not None:
            title = " ".join("".join(self.heading).split())
            if tag == "h1" and not self.sections[0].title:
                self.sections[0].title = title
            elif tag == "h2":
                self.sections[-1].title = title
            self.heading = None
        if tag in _BLOCK:
            self._text(" ")

    def handle_data(self, data):
        if self.skipping:
            return
        if self.in_math:
            if self.in_tex and self.display:
                self.sections[-1].formulas.append(tex_text(data))
            elif self.in_tex:
                self._text(f" {tex_text(data)} ")
            return
        if self.heading is not None:
            self.heading.append(data)  # the section's title, kept apart from its text
        else:
            self._text(data)

    def _text(self, data: str) -> None:
        self.sections[-1].text.append(data)
        if self.strong is not None:
            self.strong.append(data)


def sections(article_html: str) -> list[Section]:
    """The page's introduction (its h1 and what precedes the first h2) and each h2 section: the title,
    and the visible text under it (no code listings, outputs, badges or the visual layer of formulas)."""
    parser = _Sections()
    parser.feed(article_html)
    parser.close()
    return parser.sections


@dataclass(frozen=True)
class Record:
    """One search result: a question of a page, or the page itself (anchor "")."""

    url: str
    title: str
    page: str
    text: str
    formulas: str = ""
    names: str = ""  # other names of what the title mentions (stored records only)
    keys: str = ""  # the answer's bold terms (what it is about), joined by "，"
    characters: tuple[tuple[int, str], ...] = ()  # stored records: (weight, character words)


def records(article_html: str, url: str, page_title: str, description: str, closing: set[str]) -> list[Record]:
    """The records of a page: its introduction (with its description) and every h2 section except
    the closing ones (相关条目, 参考文献 — other pages' titles and paper names, not answers).
    Sections without an id or without text are left out."""
    found: list[Record] = []
    for section in sections(article_html):
        text = " ".join("".join(section.text).split())
        if section.anchor == "" and not section.title:
            section.title = page_title
        if section.title in closing:
            continue
        formulas = " ".join(section.formulas)
        keys = "，".join(dict.fromkeys(section.keys))
        if section.anchor == "":
            found.append(Record(url, page_title, page_title, f"{description} {text}".strip(), formulas, keys=keys))
        elif section.title and text:
            found.append(Record(f"{url}#{section.anchor}", section.title, page_title, text, formulas, keys=keys))
    return found


class SymbolsError(Exception):
    """A malformed line in the symbols file; the message names the file and line."""


def load_symbols(path: Path) -> dict[str, list[str]]:
    """Symbol -> the names readers type for it, from lines `symbol name name…` (# starts a comment).
    Raises SymbolsError for a line with no name or a symbol given twice. A missing file has none."""
    symbols: dict[str, list[str]] = {}
    if not path.exists():
        return symbols
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        if len(fields) < 2 or fields[0] in symbols:
            raise SymbolsError(f"{path}:{number}: write a new symbol, then its names, separated by spaces")
        symbols[fields[0]] = fields[1:]
    return symbols


def other_names(text: str, finder, symbols: dict[str, list[str]]) -> list[str]:
    """Names a reader may search for that the text means but does not contain: the other names of the
    glossary terms it mentions (`finder`: glossary_terms.SynonymFinder), the names of its symbols, for a
    letter symbol inside a word the word spelled with the letter's name (β2 → beta2), and words with
    an underscore written without it (d_k → dk, as typed on a phone), and words as a query is normalised
    (NFKC: d² → d2, full-width ＬＳＴＭ → LSTM)."""
    names = list(finder(text))
    names += [w.replace("_", "") for w in re.findall(r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+", text)]
    names += [folded for w in re.findall(r"\w+", text) if (folded := unicodedata.normalize("NFKC", w)) != w]
    for symbol, spelled in symbols.items():
        if symbol not in text:
            continue
        names += [n for n in spelled if n not in text]
        latin = next((n for n in spelled if n.isascii()), None)
        if symbol.isalpha() and latin:
            names += [w.replace(symbol, latin) for w in re.findall(rf"\w*{re.escape(symbol)}\w*", text) if w != symbol]
    return list(dict.fromkeys(names))
