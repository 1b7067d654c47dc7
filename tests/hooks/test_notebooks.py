"""Unit test of the notebook page clean-up (the fixture sites build real notebooks)."""

import base64
import hashlib

import pytest
from mkdocs.exceptions import PluginError

import katex_math as km
import mermaid_render as mr
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


def png(width: int, height: int) -> bytes:
    """A PNG header: signature, then the IHDR chunk with the size."""
    ihdr = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 6, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + len(ihdr).to_bytes(4, "big") + b"IHDR" + ihdr + b"\0\0\0\0"


def test_png_size_reads_the_header_and_refuses_other_formats():
    assert notebooks.png_size(png(420, 364)) == (420, 364)
    assert notebooks.png_size(b"\xff\xd8\xff\xe0" + bytes(40)) is None


def test_inline_images_become_lazy_files_named_by_content():
    data = png(3, 2)
    encoded = base64.b64encode(data).decode()
    page = f'<img alt="a" src="data:image/png;base64,{encoded}"/><img src="data:image/png;base64,{encoded}" width="9">'
    out, images = notebooks.extract_images(page)
    name = f"{hashlib.sha256(data).hexdigest()[:16]}.png"
    assert images == {name: data}
    assert out == (
        f'<img alt="a" src="{name}" loading="lazy" decoding="async" width="3" height="2"/>'
        f'<img src="{name}" loading="lazy" decoding="async" width="9">'  # a declared width is kept as is
    )


def test_cdn_mermaid_loader_goes_and_notebook_diagrams_reach_the_mermaid_hook():
    page = (
        '<script type="module">\n  const m = (await import("https://cdnjs.example/mermaid.mjs")).default;\n</script>'
        "<script>keep()</script>"
        '<div class="jp-Mermaid"><pre class="mermaid">\ngraph LR\n  A --&gt; B\n</pre></div>'
    )
    out = notebooks.notebook_diagrams(page)
    assert "https://" not in out and "<script>keep()</script>" in out
    assert mr.find_diagrams(out) == ["graph LR\n  A --> B"]


class Link:
    def __init__(self, id, children=()):
        self.id, self.children = id, list(children)


def test_headings_take_the_ids_of_the_table_of_contents_in_order():
    toc = [Link("_1", [Link("1-numpy"), Link("_2")])]
    assert notebooks.toc_ids(toc) == ["_1", "1-numpy", "_2"]
    page = (
        '<h1 id="">标题<a class="anchor-link" href="#">¶</a></h1>'
        '<h2 id="1-numpy">1. NumPy<a class="anchor-link" href="#1-numpy">¶</a></h2>'
        '<p>text</p><h2 id="">小结<a class="anchor-link" href="#">¶</a></h2>'
    )
    out = notebooks.align_heading_ids(page, notebooks.toc_ids(toc), "docs/nb.ipynb")
    assert out == (
        '<h1 id="_1">标题<a class="anchor-link" href="#_1">¶</a></h1>'
        '<h2 id="1-numpy">1. NumPy<a class="anchor-link" href="#1-numpy">¶</a></h2>'
        '<p>text</p><h2 id="_2">小结<a class="anchor-link" href="#_2">¶</a></h2>'
    )
    with pytest.raises(PluginError, match=r"docs/nb.ipynb: 3 headings but 2 table of contents entries"):
        notebooks.align_heading_ids(page, ["_1", "_2"], "docs/nb.ipynb")
