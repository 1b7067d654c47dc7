"""What contributors really write (issue 19): every input renders as meant, or the build fails naming
the file and line of the problem. One fixture per reported example; each kind is fixed in the shared
code path (page_rules.py, katex_math.py, exec_blocks.py, notebooks.py, links.py), not per example.
"""

import re

import pytest
import yaml

from conftest import ROOT
from test_fixture_sites import JUPYTER, notebook

pytestmark = pytest.mark.slow

# Body lines start at line 7 in a folder page: five front matter lines and a blank line.
MUST_FAIL = {
    "spaced dollars are not math": (
        "# t\n\n其中 $ \\theta_t $ 是参数，$ \\eta $ 是学习率。\n",
        9,
        "TeX between dollar signs was not recognised as math",
    ),
    "a pipe inside a formula splits the table row": (
        "# t\n\n| 正则 | 公式 | 含义 |\n| --- | --- | --- |\n| L1 | $\\sum_i |w_i|$ | 绝对值之和 |\n",
        11,
        "table row has 5 cells but its header has 3 — a | inside a formula splits the cell: write \\lvert x \\rvert",
    ),
    "an escaped pipe in a table formula is a double bar": (
        "# t\n\n| 记号 | 含义 |\n| --- | --- |\n| $P(A\\|B)$ | 条件概率 |\n",
        11,
        "\\| inside a formula in a table renders a double bar ‖",
    ),
    "a typo in the second aligned block, inside an admonition": (
        "# t\n\n$$\n\\begin{aligned}\na &= b\n\\end{aligned}\n$$\n\n"
        '!!! warning "易错点"\n    $$\n    \\begin{aligned}\n    a &= \\betaa\n    \\end{aligned}\n    $$\n',
        18,  # the line of the typo, not the first block (line 9)
        "formula cannot be rendered",
    ),
    "a typo in a list item": ("# t\n\n- 第一项\n- 第二项 $\\alphaa + 1$\n", 10, "formula cannot be rendered"),
    "a typo in a footnote": (
        "# t\n\n正文[^1]。\n\n[^1]: 见 $\\gammaa$。\n",
        11,
        "formula cannot be rendered",
    ),
    "a typo in a tab": (
        '# t\n\n=== "甲"\n\n    $x$\n\n=== "乙"\n\n    $\\deltaa$\n',
        15,
        "formula cannot be rendered",
    ),
    "a blank line inside $$": (
        "# t\n\n$$\na = b\n\nc = d\n$$\n",
        11,
        "blank line inside the $$ block opened on line 9 — remove it: no blank lines inside $$",
    ),
    "label and eqref": (
        "# t\n\n$$\ny = x \\label{eq:1}\n$$\n\n见式 $\\eqref{eq:1}$。\n",
        10,
        "KaTeX has no \\label, \\ref or \\eqref: number an equation with \\tag{1}",
    ),
    "Chinese in math outside text (KaTeX strict mode)": (
        "# t\n\n损失 $损失 = -\\log p$。\n",
        9,
        "KaTeX accepts this only outside strict mode: e.g. Chinese text goes in \\text{…}",
    ),
    "a TeX command outside math": ("# t\n\n权重 \\sum_i w_i 的和。\n", 9, "a TeX command outside math"),
    "an emoji shortcode that would load from a CDN": ("# t\n\n很好 :smile:\n", 9, "emoji shortcode"),
    "an unknown option on a runnable block": (
        '# t\n\n```python exec="on" hl-lines="2"\nx = 1\n```\n',
        9,
        "unknown option hl-lines on a Python block",
    ),
}


@pytest.mark.parametrize("kind", MUST_FAIL)
def test_bad_input_fails_at_its_own_line(fixture_site, kind):
    body, line, message = MUST_FAIL[kind]
    fixture_site.page("index.md", "# 首页\n")
    fixture_site.page("topic/bad.md", body)
    result = fixture_site.build()
    assert result.returncode != 0, result.output[-2000:]
    assert f"docs/topic/bad.md:{line}: " in result.output, result.output[-3000:]
    where = result.output.index(f"docs/topic/bad.md:{line}: ")
    assert message in result.output[where : where + 600], result.output[-3000:]


def test_footnotes_with_math_build_and_render(fixture_site):
    fixture_site.page("index.md", "# 首页\n")
    fixture_site.page("topic/fn.md", "# 脚注\n\n复杂度见脚注[^1]。\n\n[^1]: 复杂度为 $O(n^2)$。\n")
    result = fixture_site.build()
    assert result.returncode == 0, result.output[-3000:]
    html = (result.site / "topic" / "fn" / "index.html").read_text(encoding="utf-8")
    footnotes = html[html.index('<div class="footnote">') :]
    assert 'class="katex"' in footnotes and "O(n^2)" in footnotes


# One fixture per Markdown extension enabled in mkdocs.yml: the Markdown, and what its HTML must hold.
EXTENSION_FIXTURES = {
    "abbr": (
        "HTML 很常见。\n\n*[HTML]: Hyper Text Markup Language",
        '<abbr title="Hyper Text Markup Language">HTML</abbr>',
    ),
    "admonition": ('!!! note "提示"\n    内容。', '<div class="admonition note">'),
    "attr_list": ("一段话。\n{ .special-para }", '<p class="special-para">'),
    "def_list": ("术语\n:   定义。", "<dl>\n<dt>术语</dt>"),
    "footnotes": ("正文[^n]。\n\n[^n]: 注释。", '<div class="footnote">'),
    "md_in_html": ('<div class="box" markdown>\n**粗体**\n</div>', '<div class="box">\n<p><strong>粗体</strong>'),
    "tables": ("| 甲 | 乙 |\n| --- | --- |\n| 1 | 2 |", "<table>"),
    "toc": ("### 小节标题", 'class="headerlink" href="#'),
    "pymdownx.arithmatex": ("$a^2$ 与 $b$。", 'class="katex"'),
    "pymdownx.details": ('??? note "展开"\n    内容。', '<details class="note">'),
    "pymdownx.highlight": (
        '```js title="a.js" linenums="1" hl_lines="1"\nlet x = 1;\n```',
        '<span class="filename">a.js</span>',
    ),
    "pymdownx.inlinehilite": ("行内 `#!python x = 1` 代码。", '<code class="language-python highlight">'),
    "pymdownx.snippets": ('```text\n--8<-- "inc.txt"\n```', "INCLUDED"),
    "pymdownx.superfences": ("```mermaid\ngraph LR\n  A --> B\n```", "<svg"),
    "pymdownx.tabbed": ('=== "甲"\n\n    一。\n\n=== "乙"\n\n    二。', 'class="tabbed-set tabbed-alternate"'),
    "pymdownx.tasklist": ("- [x] 完成\n- [ ] 未完成", 'class="task-list-item"'),
    "pymdownx.emoji": (":material-check: 完成", '<span class="twemoji"><svg'),
}


def test_every_enabled_markdown_extension_has_a_fixture_that_builds_and_renders(fixture_site):
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    enabled = {next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]}
    assert enabled == set(EXTENSION_FIXTURES), "an extension was enabled or removed: give it a fixture here"
    fixture_site.page("index.md", "# 首页\n")
    fixture_site.snippet("inc.txt", "INCLUDED\n")
    for name, (markdown, _) in EXTENSION_FIXTURES.items():
        fixture_site.page(f"ext/{name.replace('.', '-')}.md", f"# {name}\n\n{markdown}\n")
    result = fixture_site.build()
    assert result.returncode == 0, result.output[-3000:]
    for name, (_, expected) in EXTENSION_FIXTURES.items():
        html = (result.site / "ext" / name.replace(".", "-") / "index.html").read_text(encoding="utf-8")
        assert expected in html, f"{name}: {expected!r} not in the page"


ANNOTATED = """# 运行

```python exec="on" title="scale.py" hl_lines="2" linenums="1"
import math
d_k = 64  # (1)!
print(round(1 / math.sqrt(d_k), 3))
```

1.  键向量的维度。

下一段。
"""


def test_runnable_block_keeps_title_highlight_line_numbers_and_annotations(fixture_site):
    fixture_site.page("index.md", "# 首页\n")
    fixture_site.page("topic/run.md", ANNOTATED)
    result = fixture_site.build()
    assert result.returncode == 0, result.output[-3000:]
    html = (result.site / "topic" / "run" / "index.html").read_text(encoding="utf-8")
    block = html[html.index('<div class="language-python highlight">') :]
    assert '<span class="filename">scale.py</span>' in block[:300]
    assert '<span class="hll">' in block and 'class="linenos"' in block
    after = block[block.index("</code></pre>") + len("</code></pre>") :]
    between = after[: after.index("<ol>")]
    assert re.fullmatch(r"(?:\s|</[a-z]+>)*", between), between  # the annotation list directly follows the code
    assert after[after.index("<ol>") :].startswith("<ol>\n<li>键向量的维度。</li>\n</ol>")
    assert after.index("</ol>") < after.index("<summary>输出</summary>") < after.index("下一段")
    assert "0.125" in after


NOTEBOOK_FAILURES = {
    "a link to a missing page": (
        "# 笔记\n\n见 [x](../nope.md)。",
        "",
        "docs/nb.ipynb (cell 1):3: link to '../nope.md'",
    ),
    "a hotlinked image": ("# 笔记\n\n![x](https://example.com/a.png)", "", "docs/nb.ipynb (cell 1):3: remote image"),
    "an output with a remote image and a script": (
        "# 笔记",
        "from IPython.display import HTML\nHTML('<img src=\"https://example.com/a.png\"><script>alert(1)</script>')",
        "docs/nb.ipynb (cell 2) output:1: raw <script>",
    ),
    "a formula in a heading": ("# 笔记\n\n## 当 $d_k$ 很大时", "", "docs/nb.ipynb (cell 1):3: formula in a heading"),
    "spaced dollars": (
        "# 笔记\n\n其中 $ \\theta_t $ 是参数。",
        "",
        "TeX between dollar signs was not recognised as math",
    ),
}


@pytest.mark.parametrize("kind", NOTEBOOK_FAILURES)
def test_notebooks_obey_the_page_rules_naming_the_cell(fixture_site, kind):
    markdown, code, message = NOTEBOOK_FAILURES[kind]
    fixture_site.page("index.md", "# 首页\n")
    cells = [code] if code else []
    (fixture_site.root / "docs" / "nb.ipynb").write_text(
        notebook(*cells, markdown=markdown.removeprefix("# 笔记")), "utf-8"
    )
    result = fixture_site.build(nav=["index.md", "nb.ipynb"], plugins=JUPYTER)
    assert result.returncode != 0, result.output[-2000:]
    assert message in result.output, result.output[-3000:]


def test_notebook_without_a_reviewed_date_fails(fixture_site):
    import nbformat

    fixture_site.page("index.md", "# 首页\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 笔记")]
    (fixture_site.root / "docs" / "nb.ipynb").write_text(nbformat.writes(nb), encoding="utf-8")
    result = fixture_site.build(nav=["index.md", "nb.ipynb"], plugins=JUPYTER)
    assert result.returncode != 0 and "docs/nb.ipynb:1 (metadata): front matter lacks 'reviewed'" in result.output


def test_notebook_code_spans_are_never_math_and_page_links_work(fixture_site):
    fixture_site.page("index.md", "# 首页\n")
    fixture_site.page("topic/p.md", "# 页\n\n## 节 {#sec level=基础}\n\n答。\n")
    markdown = "# 笔记\n\n变量 `$HOME/$PATH` 与公式 $x^2$，见 [页面](topic/p.md#sec)。"
    (fixture_site.root / "docs" / "nb.ipynb").write_text(notebook(markdown=markdown.removeprefix("# 笔记")), "utf-8")
    result = fixture_site.build(nav=["index.md", "topic/p.md", "nb.ipynb"], plugins=JUPYTER)
    assert result.returncode == 0, result.output[-3000:]
    html = (result.site / "nb" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<code>\$HOME/\$PATH</code>", html)
    assert html.count('class="katex"') == 1
    assert 'href="../topic/p/#sec"' in html  # written as on a page, rewritten to this build's URL
    assert "最后核对" in html
