"""Tiny sites built with the real hooks: good input renders, bad input fails naming page and line."""

import re

import pytest

pytestmark = pytest.mark.slow

GOOD = """
# 好页面

行内 $\\softmax(x)$ 与独立公式：

$$
\\begin{aligned}
\\KL(p \\Vert q) &= \\sum_x p(x) \\log \\frac{p(x)}{q(x)}
\\end{aligned}
$$

```python exec="on" session="s"
import matplotlib.pyplot as plt
value = 6 * 7
fig, ax = plt.subplots()
ax.plot([0, 1], [0, 1])
ax.set_title("line")
```

```python exec="on" session="s"
assert value == 42
print("answer", value)
```

```python exec="on"
--8<-- "helper.py:double"
assert double(21) == 42
```

```python exec="off" reason="需要 8 块 GPU"
raise SystemExit("never runs")
```
"""

HELPER = """
# --8<-- [start:double]
def double(x):
    return 2 * x
# --8<-- [end:double]
"""


def test_good_page_renders_output_figures_and_math_then_uses_the_cache(fixture_site):
    fixture_site.page("index.md", GOOD)
    fixture_site.snippet("helper.py", HELPER)
    first = fixture_site.build()
    assert first.returncode == 0, first.output
    assert "snippets: 3 ran, 0 cached, 0 failed" in first.output
    html = (first.site / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)
    assert "answer 42" in text
    assert "def double(x):" in text and "--8&lt;--" not in text  # the include is shown expanded
    assert html.count('<details class="success" open="open" data-search-exclude>\n<summary>输出</summary>') == 3
    assert "构建时未运行" in html and "需要 8 块 GPU" in html
    figure = re.search(r'<img alt="line"[^>]*src="(assets/snippets/[0-9a-f]{16}\.svg)"', html)
    assert figure and (first.site / figure.group(1)).read_text().startswith("<?xml")
    assert html.count('class="katex"') == 2 and "katex-error" not in html
    assert "assets/katex/katex.min.css" in html
    assert list((first.site / "assets/katex/fonts").glob("*.woff2"))

    second = fixture_site.build()
    assert "snippets: 0 ran, 3 cached, 0 failed" in second.output
    assert "formulas: 0 rendered, 2 cached" in second.output

    fixture_site.snippet("helper.py", HELPER.replace("2 * x", "x + x"))
    third = fixture_site.build()
    assert "snippets: 1 ran, 2 cached, 0 failed" in third.output  # only the block that includes it


BAD_BLOCKS = {
    "raises": ('```python exec="on"\nx = 1\nassert x == 2, "wrong claim"\n```', "raised an exception", "wrong claim"),
    "hangs": ('```python exec="on" timeout="2"\nwhile True:\n    pass\n```', "ran past its timeout", ""),
    "network": (
        '```python exec="on"\nimport socket\nsocket.create_connection(("203.0.113.1", 80), timeout=5)\n```',
        "tried to open a network connection",
        "network access is disabled",
    ),
    "memory": ('```python exec="on"\nblob = bytearray(8 << 30)\n```', "ran out of memory", "MemoryError"),
    "unmarked": ("```python\nprint(1)\n```", "Python block is neither run nor marked", 'exec="off" reason='),
    "missing include": ('```python exec="on"\n--8<-- "nope.py:f"\n```', 'included file "nope.py" does not exist', ""),
}


@pytest.mark.parametrize("kind", BAD_BLOCKS)
def test_bad_block_fails_the_build_with_page_and_line(fixture_site, kind):
    block, message, detail = BAD_BLOCKS[kind]
    fixture_site.page("index.md", "# 首页\n\n正文。\n")
    fixture_site.page("topic/bad.md", f"# 坏页面\n\n一些文字。\n\n{block}\n")
    result = fixture_site.build()
    assert result.returncode != 0
    assert re.search(rf"docs/topic/bad\.md:11: .*{re.escape(message)}", result.output), result.output[-3000:]
    assert detail in result.output
    assert not (fixture_site.root / "site" / "topic" / "bad" / "index.html").exists()


def test_orphan_snippet_file_fails_the_build(fixture_site):
    fixture_site.page("index.md", "# 首页\n")
    fixture_site.snippet("unused.py", "X = 1\n")
    result = fixture_site.build()
    assert result.returncode != 0
    assert "snippets/unused.py:1: snippet file is not used by any page" in result.output


def test_broken_formula_fails_with_page_line_and_katex_message(fixture_site):
    fixture_site.page("index.md", "# 首页\n")
    fixture_site.page("math.md", "# 公式\n\n正常 $a+b$。\n\n$$\n\\frac{1}{\n$$\n")
    result = fixture_site.build()
    assert result.returncode != 0
    assert "docs/math.md:11: formula cannot be rendered" in result.output, result.output[-2000:]
    assert "KaTeX parse error" in result.output


def notebook(*sources: str, markdown: str = "") -> str:
    import nbformat

    nb = nbformat.v4.new_notebook(metadata={"reviewed": "2026-01-05"})
    nb.cells = [nbformat.v4.new_markdown_cell("# 笔记本" + markdown)] + [nbformat.v4.new_code_cell(s) for s in sources]
    return nbformat.writes(nb)


NOTEBOOK_EXTRAS = """

## 小结

```mermaid
graph LR
  A[查询] --> B[键]
```
"""
PLOT = "import matplotlib.pyplot as plt\nplt.plot([0, 1], [1, 0])\nplt.show()"


JUPYTER = '["mkdocs-jupyter"]'


def test_notebook_runs_at_build_and_shows_outputs_then_is_cached(fixture_site):
    fixture_site.page("index.md", "# 首页\n")
    source = notebook("print(6 * 7)", PLOT, markdown=NOTEBOOK_EXTRAS)
    (fixture_site.root / "docs" / "nb.ipynb").write_text(source, encoding="utf-8")
    first = fixture_site.build(nav=["index.md", "nb.ipynb"], plugins=JUPYTER)
    assert first.returncode == 0, first.output[-3000:]
    assert "notebooks: executed docs/nb.ipynb" in first.output
    page = (first.site / "nb" / "index.html").read_text(encoding="utf-8")
    assert "42" in page
    # the Chinese-only heading is reachable from the table of contents
    toc = re.search(r'<a href="#([^"]+)" class="md-nav__link">\s*<span class="md-ellipsis">\s*小结', page)
    assert toc and f'<h2 id="{toc.group(1)}">小结' in page
    # the plot is a file beside the page, lazily loaded with its size; the diagram is inline SVG
    image = re.search(r'<img [^>]*src="([0-9a-f]{16}\.png)"[^>]*>', page)
    assert image and (first.site / "nb" / image.group(1)).stat().st_size > 1000
    assert 'loading="lazy"' in image.group(0) and re.search(r'width="\d+" height="\d+"', image.group(0))
    assert "data:image/png" not in page
    assert re.search(r"<svg[^>]*mermaid", page) and "cdnjs" not in page
    second = fixture_site.build(nav=["index.md", "nb.ipynb"], plugins=JUPYTER)
    assert second.returncode == 0 and "notebooks: executed" not in second.output


def test_failing_notebook_cell_fails_the_build(fixture_site):
    fixture_site.page("index.md", "# 首页\n")
    (fixture_site.root / "docs" / "nb.ipynb").write_text(notebook("x = 1", "assert x == 2, 'wrong'"), encoding="utf-8")
    result = fixture_site.build(nav=["index.md", "nb.ipynb"], plugins=JUPYTER)
    assert result.returncode != 0
    assert "docs/nb.ipynb: cell 3 raised" in result.output and "wrong" in result.output


def test_math_block_markdown_did_not_see_fails_the_build(fixture_site):
    fixture_site.page("index.md", "# 首页\n")
    fixture_site.page("list.md", "# 列表\n\n- 条目：\n\n  $$\n  e_{ij} = 1\n  $$\n")
    result = fixture_site.build()
    assert result.returncode != 0
    assert "docs/list.md:11: formula was not recognised as math" in result.output, result.output[-2000:]
