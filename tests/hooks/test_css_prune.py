"""The notebook style-sheet pruning keeps every rule the page can use and drops the rest."""

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
