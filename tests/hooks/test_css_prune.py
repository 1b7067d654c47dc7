"""The notebook style-sheet pruning keeps every rule the page can use and drops the rest."""

import re
from pathlib import Path

import mkdocs_jupyter

import css_prune as cp

CSS = """
@charset "UTF-8";
.jupyter-wrapper { --jp-ui-font-color1: #000; }
.jp-Cell .jp-InputArea { display: flex; }
.jp-Toolbar .jp-ToolbarButton { color: red; }
.jp-Unused, .jp-OutputArea pre { margin: 0; }
pre { line-height: 125%; }
.jp-OutputArea:not(.jp-mod-collapsed) { overflow: auto; }
@media print { .jp-Cell { break-inside: avoid; } .jp-Dialog { display: none; } }
@media (max-width: 760px) { .jp-Dialog { width: 100%; } }
@font-face { font-family: X; src: local(X); }
"""


def test_rules_for_absent_classes_go_and_the_rest_stay():
    used = {"jupyter-wrapper", "jp-Cell", "jp-InputArea", "jp-OutputArea"}
    out = cp.prune_css(CSS, used)
    for kept in (
        "--jp-ui-font-color1",
        ".jp-Cell .jp-InputArea",
        ".jp-OutputArea pre",
        "line-height: 125%",
        ":not(.jp-mod-collapsed)",
        "break-inside: avoid",
        "@font-face",
        "@charset",
    ):
        assert kept in out, kept
    for dropped in ("jp-Toolbar", "jp-Dialog", "max-width: 760px"):
        assert dropped not in out, dropped


def test_page_styles_are_pruned_against_the_classes_of_the_page_itself():
    page = (
        '<style type="text/css">.a .b { color: red } .c { color: blue }</style>'
        '<div class="a x"><span class="b">text</span></div><p>.c is only text here</p>'
    )
    out = cp.prune_page_styles(page)
    assert '<style type="text/css">.a .b' in out and "color: blue" not in out
    assert out.endswith("<p>.c is only text here</p>")


def test_class_names_are_read_from_attributes_not_from_style_sheets():
    assert cp.used_classes('<style>.q { }</style><i class="p  r"></i>') == {"p", "r"}


def test_selection_colour_rules_go_even_when_their_classes_are_used():
    out = cp.prune_css(
        ".w ::selection { background: red } .w ::-moz-selection { background: red } .w p { margin: 0 }", {"w"}
    )
    assert "selection" not in out and ".w p" in out


def test_only_variables_the_page_reaches_through_var_are_kept():
    page = (
        "<style>.w { --used: var(--chained); --chained: 1px; --unused: var(--also-unused); --also-unused: 2px;"
        " --from-attribute: red; --from-other-sheet: blue; color: var(--used) }</style>"
        "<style>.x { border-color: var(--from-other-sheet) }</style>"
        '<div class="w x" style="color: var(--from-attribute)"></div>'
    )
    out = cp.prune_page_styles(page)
    for kept in ("--used", "--chained: 1px", "--from-attribute", "--from-other-sheet", "color: var(--used)"):
        assert kept in out, kept
    assert "--unused" not in out and "--also-unused" not in out


def test_a_rule_left_without_declarations_goes():
    assert (
        cp.prune_page_styles('<style>.w { --unused: 1px }</style><i class="w"></i>')
        == '<style></style><i class="w"></i>'
    )


def test_variables_pass_through_grouping_rules():
    page = '<style>@media (min-width: 1px) { .w { --a: 1px; --b: 2px } } .w { width: var(--a) }</style><i class="w">'
    out = cp.prune_page_styles(page)
    assert "@media (min-width: 1px)" in out and "--a: 1px" in out and "--b" not in out


def test_pruning_jupyterlab_itself_leaves_no_variable_undefined_that_it_defined():
    assets = Path(mkdocs_jupyter.__file__).parent / "templates" / "mkdocs_html" / "assets"
    sheets = [(assets / name).read_text(encoding="utf-8") for name in ("index.css", "theme-light.css")]
    classes = (
        "jupyter-wrapper jp-Notebook jp-Cell jp-CodeCell jp-InputArea jp-InputPrompt jp-OutputArea jp-RenderedText"
    )
    page = "".join(f"<style>{css}</style>" for css in sheets) + f'<div class="{classes}"></div>'

    def undefined(html):
        return set(re.findall(r"var\(\s*(--[\w-]+)", html)) - set(re.findall(r"(--[\w-]+)\s*:", html))

    out = cp.prune_page_styles(page)
    assert len(out) < len(page) / 3
    assert undefined(out) <= undefined(page)
