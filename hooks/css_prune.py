"""Drop the CSS rules a page cannot use (pure; used by hooks/notebooks.py).

mkdocs-jupyter inlines all of JupyterLab's stylesheet (about 570 KB) into every notebook page, where
the browser must parse it before first paint. A rule is kept when one of its selectors names only
classes that occur in the page; rules without classes, and classes inside :not(), :is() and other
parenthesised parts, are kept as they are (pruning too little is safe, too much is not).
"""

from __future__ import annotations

import functools
import re

import tinycss2

_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S | re.I)
_CLASS_ATTR = re.compile(r'\bclass="([^"]*)"')
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_PARENS = re.compile(r"\([^()]*\)")
_GROUPING = {"media", "supports", "layer", "container"}


def used_classes(html: str) -> set[str]:
    """Every class named in a class attribute of the page, style sheets aside."""
    body = _STYLE.sub("", html)
    return {name for value in _CLASS_ATTR.findall(body) for name in value.split()}


def _classes_needed(selector: str) -> set[str]:
    while _PARENS.search(selector):
        selector = _PARENS.sub("", selector)
    return set(_CLASS.findall(selector))


def _prune(rules, used: set[str]) -> str:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = tinycss2.serialize(rule.prelude).split(",")
            if any(_classes_needed(s) <= used for s in selectors):
                kept.append(rule.serialize())
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in _GROUPING:
            inner = _prune(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), used)
            if inner:
                kept.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type == "at-rule":
            kept.append(rule.serialize())
    return "".join(kept)


@functools.cache  # every notebook page carries the same sheet; `mkdocs serve` rebuilds reuse it too
def _parse(css: str) -> tuple:
    return tuple(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def prune_css(css: str, used: set[str]) -> str:
    """The rules of a style sheet that can match an element with the given classes."""
    return _prune(_parse(css), used)


def prune_page_styles(html: str) -> str:
    """The page with each inline <style> reduced to the rules its own elements can match."""
    used = used_classes(html)
    return _STYLE.sub(lambda m: m.group(1) + prune_css(m.group(2), used) + m.group(3), html)
