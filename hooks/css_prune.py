"""Drop the CSS a page cannot use (pure; used by hooks/notebooks.py).

mkdocs-jupyter inlines all of JupyterLab's stylesheet (about 570 KB) into every notebook page, where
the browser must parse it before first paint. Two passes shrink it:

- rules: a rule is kept when one of its selectors names only classes that occur in the page; rules
  without classes, and classes inside :not(), :is() and other parenthesised parts, are kept as they
  are (pruning too little is safe, too much is not); JupyterLab's `::selection` colour goes too: the
  site keeps Material's, and a selection rule over every element made Chromium's style recalculation
  of the notebook page about a third slower (CDP RecalcStyleDuration, 4x CPU throttle);
- custom properties: of the ~560 `--jp-*`/`--md-*` variables JupyterLab declares, a declaration is
  kept only when the page reaches it through var(): from an ordinary declaration of any style sheet on
  the page or a style attribute, directly or through other variables.
"""

from __future__ import annotations

import functools
import re

import tinycss2

_STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S | re.I)
_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
_CLASS_ATTR = re.compile(r'\bclass="([^"]*)"')
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_PARENS = re.compile(r"\([^()]*\)")
_SELECTION = re.compile(r"::(-moz-)?selection\b", re.I)
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
_GROUPING = {"media", "supports", "layer", "container"}


def used_classes(html: str) -> set[str]:
    """Every class named in a class attribute of the page, style sheets aside."""
    return _classes_in(_STYLE.sub("", html))


def _classes_in(body: str) -> set[str]:
    return {name for value in _CLASS_ATTR.findall(body) for name in value.split()}


def _classes_needed(selector: str) -> set[str]:
    while _PARENS.search(selector):
        selector = _PARENS.sub("", selector)
    return set(_CLASS.findall(selector))


# Parsed once per process: every notebook page carries the same sheets, and `mkdocs serve` rebuilds
# reuse them. The node caches key on the nodes of those cached parses, so they grow no further.
@functools.cache
def _parse(css: str) -> tuple:
    return tuple(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


@functools.cache
def _inner_rules(at_rule) -> tuple:
    return tuple(tinycss2.parse_rule_list(at_rule.content, skip_comments=True, skip_whitespace=True))


@functools.cache
def _rule_declarations(rule) -> tuple:
    nodes = tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True)
    return tuple(n for n in nodes if n.type == "declaration")


def _keep_rules(rules, used: set[str]) -> list:
    """The rules that can match; a grouping at-rule becomes (rule, its kept inner rules)."""
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = tinycss2.serialize(rule.prelude).split(",")
            if any(_classes_needed(s) <= used and not _SELECTION.search(s) for s in selectors):
                kept.append(rule)
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword in _GROUPING:
            inner = _keep_rules(_inner_rules(rule), used)
            if inner:
                kept.append((rule, inner))
        elif rule.type == "at-rule":
            kept.append(rule)
    return kept


def _declarations(rules):
    """Every declaration of the qualified rules, at any depth."""
    for rule in rules:
        if isinstance(rule, tuple):
            yield from _declarations(rule[1])
        elif rule.type == "qualified-rule":
            yield from _rule_declarations(rule)


def needed_variables(declarations, inline_styles: str = "") -> set[str]:
    """Custom properties reached through var() from ordinary declarations, followed transitively."""
    definitions: dict[str, set[str]] = {}
    needed = set(_VAR.findall(inline_styles))
    for declaration in declarations:
        refs = set(_VAR.findall(tinycss2.serialize(declaration.value)))
        if declaration.name.startswith("--"):
            definitions.setdefault(declaration.name, set()).update(refs)
        else:
            needed |= refs
    frontier = list(needed)
    while frontier:
        for name in definitions.get(frontier.pop(), ()):
            if name not in needed:
                needed.add(name)
                frontier.append(name)
    return needed


def _serialize(rules, variables: set[str] | None) -> str:
    out = []
    for rule in rules:
        if isinstance(rule, tuple):
            at_rule, inner = rule
            if body := _serialize(inner, variables):
                out.append(f"@{at_rule.at_keyword}{tinycss2.serialize(at_rule.prelude)}{{{body}}}")
        elif rule.type == "qualified-rule" and variables is not None:
            kept = [n for n in _rule_declarations(rule) if not n.name.startswith("--") or n.name in variables]
            if kept:
                out.append(f"{tinycss2.serialize(rule.prelude)}{{{';'.join(n.serialize() for n in kept)}}}")
        else:
            out.append(rule.serialize())
    return "".join(out)


def prune_css(css: str, used: set[str]) -> str:
    """The rules of a style sheet that can match an element with the given classes."""
    return _serialize(_keep_rules(_parse(css), used), None)


def prune_page_styles(html: str) -> str:
    """The page with each inline <style> reduced to the rules and variables its own elements use."""
    body = _STYLE.sub("", html)
    used = _classes_in(body)
    sheets = [_keep_rules(_parse(m.group(2)), used) for m in _STYLE.finditer(html)]
    attributes = " ".join(_STYLE_ATTR.findall(body))
    variables = needed_variables((d for sheet in sheets for d in _declarations(sheet)), attributes)
    kept = iter(sheets)
    return _STYLE.sub(lambda m: m.group(1) + _serialize(next(kept), variables) + m.group(3), html)
