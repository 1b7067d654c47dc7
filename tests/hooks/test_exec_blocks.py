"""Unit tests of the pure helpers behind runnable blocks."""

import textwrap
from pathlib import Path

import pytest

import exec_blocks as eb

PAGE = textwrap.dedent(
    """\
    # Page

    ```python exec="on"
    print(1)
    ```

    ````markdown
    ```python exec="on"
    this is an example inside a longer fence, not a block
    ```
    ````

    !!! note
        ```python exec="on" session="s" timeout="5"
        x = 2
        ```

    ```python exec="off" reason="needs GPUs"
    import torch
    ```

    ```text
    plain
    ```
    """
)


def test_find_fences_skips_fences_nested_in_longer_fences():
    fences = eb.find_fences(PAGE, "docs/p.md")
    assert [f.lang for f in fences] == ["python", "markdown", "python", "python", "text"]
    assert fences[0].line == 3
    assert "longer fence" in fences[1].body


def test_find_fences_dedents_indented_blocks_and_reads_options():
    indented = eb.find_fences(PAGE, "docs/p.md")[2]
    assert indented.indent == "    "
    assert indented.body == "x = 2"
    assert indented.options == {"exec": "on", "session": "s", "timeout": "5"}


def test_unclosed_fence_names_page_and_line():
    with pytest.raises(eb.SnippetError, match=r"docs/p.md:2: code block is never closed"):
        eb.find_fences("text\n```python\nprint()\n", "docs/p.md")


def test_python_blocks_splits_runnable_and_skipped(tmp_path):
    runnable, skipped = eb.python_blocks(PAGE, "docs/p.md", tmp_path)
    assert [(b.fence.line, b.session, b.timeout) for b in runnable] == [(3, None, 60), (14, "s", 5.0)]
    assert [f.options["reason"] for f in skipped] == ["needs GPUs"]


@pytest.mark.parametrize(
    "fence",
    ["```python", '```python exec="off"', '```python exec="off" reason=" "', '```py exec="yes"'],
)
def test_unmarked_python_block_is_an_error(fence, tmp_path):
    with pytest.raises(eb.SnippetError, match=r"docs/p.md:3: Python block is neither run nor marked"):
        eb.python_blocks(f"# t\n\n{fence}\nx = 1\n```\n", "docs/p.md", tmp_path)


def test_bad_timeout_and_bad_options_are_errors(tmp_path):
    with pytest.raises(eb.SnippetError, match='timeout="soon"'):
        eb.python_blocks('```python exec="on" timeout="soon"\nx\n```\n', "docs/p.md", tmp_path)
    with pytest.raises(eb.SnippetError, match='key="value" pairs'):
        eb.python_blocks("```python exec=on\nx\n```\n", "docs/p.md", tmp_path)


def test_expand_includes_takes_named_section_without_markers(tmp_path):
    (tmp_path / "mod.py").write_text(
        "import os\n# --8<-- [start:f]\ndef f():\n    # --8<-- [start:inner]\n    return 1\n"
        "    # --8<-- [end:inner]\n# --8<-- [end:f]\nprint('tail')\n"
    )
    code, used = eb.expand_includes('--8<-- "mod.py:f"\nassert f() == 1', tmp_path, "docs/p.md:3")
    assert code == "def f():\n    return 1\nassert f() == 1\n"
    assert used == ["mod.py"]
    whole, _ = eb.expand_includes('--8<-- "mod.py"', tmp_path, "docs/p.md:3")
    assert "import os" in whole and "--8<--" not in whole


def test_expand_includes_errors_name_the_block(tmp_path):
    (tmp_path / "mod.py").write_text("x = 1\n")
    with pytest.raises(eb.SnippetError, match=r'docs/p.md:3: included file "nope.py" does not exist'):
        eb.expand_includes('--8<-- "nope.py"', tmp_path, "docs/p.md:3")
    with pytest.raises(eb.SnippetError, match=r'docs/p.md:3: snippets/mod.py: no section "s"'):
        eb.expand_includes('--8<-- "mod.py:s"', tmp_path, "docs/p.md:3")


def test_included_files_and_imported_modules():
    text = 'a\n--8<-- "x.py:sec"\n  --8<-- "y.py"\n'
    assert eb.included_files(text) == {"x.py", "y.py"}
    assert eb.imported_modules("import numpy as np\nfrom attention import f\nx = 1\n") == {"numpy", "attention"}


def test_group_units_keeps_sessions_together_in_page_order(tmp_path):
    text = "\n\n".join(
        f'```python exec="on"{opt}\nv = {i}\n```' for i, opt in enumerate(["", ' session="a"', "", ' session="a"'])
    )
    blocks, _ = eb.python_blocks(text, "docs/p.md", tmp_path)
    units = eb.group_units(blocks)
    assert [[b.code.strip() for b in unit] for unit in units] == [["v = 0"], ["v = 1", "v = 3"], ["v = 2"]]


def test_unit_key_changes_with_code_environment_and_imported_modules(tmp_path):
    blocks, _ = eb.python_blocks('```python exec="on"\nimport mod\n```\n', "docs/p.md", tmp_path)
    base = eb.unit_key(blocks, "env1", {"mod": "A", "other": "X"})
    assert base == eb.unit_key(blocks, "env1", {"mod": "A", "other": "Y"})  # unrelated module
    assert base != eb.unit_key(blocks, "env2", {"mod": "A", "other": "X"})
    assert base != eb.unit_key(blocks, "env1", {"mod": "B", "other": "X"})
    edited, _ = eb.python_blocks('```python exec="on"\nimport mod  # edited\n```\n', "docs/p.md", tmp_path)
    assert base != eb.unit_key(edited, "env1", {"mod": "A", "other": "X"})


def test_longest_fence_cannot_be_closed_by_content():
    assert eb.longest_fence("no ticks") == "```"
    assert eb.longest_fence("has ```` four") == "`````"


def test_render_output_shows_text_figures_and_an_empty_marker():
    lines = eb.render_output("a\nb\n", [{"svg": "<svg/>", "alt": "curve", "width": 10, "height": 5}], ["f.svg"])
    assert lines[0] == '???+ success "输出"'
    assert "    a" in lines and "    b" in lines
    assert '    ![curve](f.svg){ loading=lazy width="10" height="5" }' in lines
    assert any("无输出" in line for line in eb.render_output("", [], []))


def test_render_block_keeps_indentation_and_notes_skipped_reason(tmp_path):
    fence = eb.find_fences('!!! note\n    ```python exec="off" reason="GPU"\n    x\n    ```\n', "p")[0]
    shown, after = eb.render_block(fence, fence.body, None, [])
    assert shown[0] == "    ```python"
    assert '    !!! info "构建时未运行"' in after and "        GPU" in after


def test_display_options_pass_through_and_unknown_options_fail():
    fence = eb.find_fences('```python exec="on" title="scale.py" hl_lines="2" linenums="1"\nx = 1\n```\n', "p")[0]
    shown, _ = eb.render_block(fence, fence.body, {"stdout": ""}, [])
    assert shown[0] == '```python title="scale.py" hl_lines="2" linenums="1"'
    with pytest.raises(eb.SnippetError, match="p:1: unknown option hl-lines on a Python block"):
        eb.python_blocks('```python exec="on" hl-lines="2"\nx = 1\n```\n', "p", Path("."))


ANNOTATED = """```python exec="on"
d_k = 64  # (1)!
```

1.  The key dimension.
    Still the first annotation.
2.  Second.

Next paragraph.
"""


def test_output_goes_after_the_code_annotation_list():
    lines = ANNOTATED.split("\n")
    fence = eb.find_fences(ANNOTATED, "p")[0]
    assert lines[eb.annotation_list_end(lines, fence)] == "2.  Second."
    plain = ANNOTATED.replace("  # (1)!", "")
    assert eb.annotation_list_end(plain.split("\n"), eb.find_fences(plain, "p")[0]) == 2  # no markers: no list
