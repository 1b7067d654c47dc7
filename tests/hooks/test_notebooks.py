"""Unit test of the notebook page clean-up (the fixture sites build real notebooks)."""

import katex_math as km
import notebooks


def test_mathjax_block_goes_and_markdown_math_is_handed_to_katex():
    page = (
        "<!-- Load mathjax -->\n<script src=''></script><!-- MathJax configuration --><script>MathJax</script>"
        "<!-- End of mathjax configuration -->"
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown"><p>尺寸 $(n, d_k)$，价格 \\$5</p>\n'
        "$$\nA = \\softmax(QK^T)\n$$</div>"
        '<div class="jp-OutputArea"><pre>$not math$</pre></div>'
    )
    out = notebooks.notebook_math(page)
    assert "mathjax" not in out.lower()
    formulas = [f for _, f in km.find_formulas(out)]
    assert formulas == [km.Formula("(n, d_k)", False), km.Formula("A = \\softmax(QK^T)", True)]
    assert "\\$5" in out and "<pre>$not math$</pre>" in out  # escaped dollars and outputs untouched
