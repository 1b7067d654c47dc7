"""Unit tests of the KaTeX wrapper and the formula helpers."""

import json
from pathlib import Path

import pytest

import katex_math as km

ROOT = Path(__file__).resolve().parents[2]
MACROS = {r"\R": r"\mathbb{R}", r"\softmax": r"\operatorname{softmax}"}


@pytest.fixture(scope="module")
def renderer():
    r = km.KatexRenderer(ROOT / "hooks" / "katex_render.js", ROOT / "node_modules", MACROS)
    yield r
    r.close()


def test_inline_and_display_render_html_and_mathml(renderer):
    inline, display = km.Formula(r"x \in \R^d", False), km.Formula(r"\softmax(x)", True)
    out = renderer.render([inline, display])
    assert out[inline].startswith('<span class="katex">') and "<math" in out[inline]
    assert "mathbb" in out[inline] or "double-struck" in out[inline]  # the site macro expanded
    assert out[display].startswith('<span class="katex-display">')
    assert "softmax" in out[display]


def test_parse_error_is_returned_with_katex_message(renderer):
    broken = km.Formula(r"\frac{1}{", False)
    result = renderer.render([broken])[broken]
    assert isinstance(result, km.KatexError)
    assert "KaTeX parse error" in str(result)


def test_unknown_macro_is_an_error_not_red_text(renderer):
    formula = km.Formula(r"\notamacro{x}", False)
    assert isinstance(renderer.render([formula])[formula], km.KatexError)


def test_version_comes_from_the_pinned_package(renderer):
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert renderer.version == lock["packages"]["node_modules/katex"]["version"]


def test_find_and_replace_formulas_unescape_html():
    html = '<p>a <span class="arithmatex">\\(x &lt; y\\)</span> b</p><div class="arithmatex">\\[\na &amp; b\n\\]</div>'
    found = [f for _, f in km.find_formulas(html)]
    assert found == [km.Formula("x < y", False), km.Formula("a & b", True)]
    out = km.replace_formulas(html, {found[0]: "<i>1</i>", found[1]: "<b>2</b>"})
    assert out == '<p>a <span class="arithmatex"><i>1</i></span> b</p><div class="arithmatex"><b>2</b></div>'


def test_search_index_skips_the_visual_layer_of_katex(renderer):
    from material.plugins.search.plugin import Parser

    for formula in (km.Formula("q_i k_i", False), km.Formula(r"\frac{a}{b}", True)):
        html = km.searchable(renderer.render([formula])[formula])
        assert html.count("<kb-math-visual") == html.count("</kb-math-visual>") == 1
        parser = Parser()
        parser.feed(f"<p>x {html} y</p>")
        parser.close()
        text = "".join(parser.data[0].text)
        assert text.count(formula.tex) == 1  # the TeX annotation, once
        assert "katex" not in text and text.startswith("<p>x ") and text.endswith(" y</p>")


def test_source_line_finds_the_formula_start():
    source = "---\ntitle: t\n---\n\ntext\n\n$$\n\\frac{a}{b}\n+ c\n$$\n"
    assert km.source_line(source, "\\frac{a}{b}\n+ c") == 8
    assert km.source_line(source, "not there") == 1


def test_formula_key_depends_on_salt_mode_and_tex():
    f = km.Formula("x", False)
    assert f.key("a") != f.key("b")
    assert f.key("a") != km.Formula("x", True).key("a")


def test_leftover_tex_finds_unrendered_math_outside_code():
    assert km.leftover_tex("<p>ok</p><pre><code>$$x$$ \\alpha</code></pre>") is None
    assert km.leftover_tex("<p>$$\ne_{ij} = 1\n$$</p>").text == "e_{ij} = 1"
    assert km.leftover_tex('<p>a <span class="katex">…<annotation>\\(x\\)</annotation></span></p>') is None


@pytest.mark.parametrize(
    ("html", "text", "what"),
    [
        ("<p>其中 $ \\theta_t $ 是参数</p>", "$ \\theta_t $", "dollar signs"),
        ("<p>学习率 $ \\eta $。</p>", "$ \\eta $", "dollar signs"),
        ("<p>$ a + b $ 的和</p>", "$ a + b $", "dollar signs"),
        ("<p>绝对值之和 \\sum_i</p>", "\\sum", "TeX command outside math"),
        ("<p>\\begin{aligned} x \\end{aligned}</p>", "\\begin{aligned}", "TeX environment"),
    ],
)
def test_leftover_tex_kinds(html, text, what):
    found = km.leftover_tex(html)
    assert found is not None and found.text == text and what in found.what


def test_money_and_rendered_math_are_not_leftovers(renderer):
    assert km.leftover_tex("<p>一块 GPU 约 $2 每小时，两块 $4。</p>") is None
    formula = km.Formula(r"\frac{a}{b} \sum_i x_i", False)
    rendered = km.searchable(renderer.render([formula])[formula])
    assert km.leftover_tex(f"<p>式 {rendered} 成立</p>") is None


def test_source_line_finds_the_formula_inside_an_admonition_not_its_twin_above():
    source = (
        "---\ntitle: t\n---\n\n$$\n\\begin{aligned}\na &= b\n\\end{aligned}\n$$\n\n"
        '!!! warning "易错点"\n    $$\n    \\begin{aligned}\n    a &= \\betaa\n    \\end{aligned}\n    $$\n'
    )
    tex = "\\begin{aligned}\na &= \\betaa\n\\end{aligned}"
    assert km.source_line(source, tex) == 13  # the block's first line, not the twin at line 6
    message = "KaTeX parse error: Undefined control sequence: \\betaa at position 22: …"
    assert km.source_line(source, tex, km.error_position(message)) == 14  # the line of the typo
    assert km.source_line("x $x$ and $y$\n\nthen $x^2$", "x^2") == 3


def test_error_hints_name_the_katex_way():
    assert "\\tag{1}" in km.error_hint("a \\label{eq}", "Undefined control sequence: \\label")
    assert "\\text{" in km.error_hint("中", "LaTeX-incompatible input and strict mode is set to 'error'")
    assert km.error_hint("\\frac{", "Expected group") == "fix the TeX"
