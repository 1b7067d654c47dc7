"""hooks/minify_scripts.py: the site's own scripts minified by esbuild, working as before."""

import subprocess

import pytest
from mkdocs.exceptions import PluginError

import minify_scripts as ms

SCRIPT = """// A page's helper: the comment and the long local names go, the top-level names stay.
function doubledTotal(listOfNumbers) {
  const runningTotal = listOfNumbers.reduce((sum, each) => sum + each, 0);
  return runningTotal * 2;
}
var sharedResult = doubledTotal([1, 2, 3]);
"""
READ = "\nconsole.log(JSON.stringify([sharedResult, doubledTotal([4])]));\n"


def run(script: str) -> str:
    return subprocess.run(["node", "-e", script + READ], capture_output=True, text=True, check=True).stdout


def test_a_minified_script_is_smaller_and_works_the_same_with_its_top_level_names(tmp_path):
    path = tmp_path / "helper.js"
    path.write_text(SCRIPT, encoding="utf-8")
    ms.minify([path])
    minified = path.read_text(encoding="utf-8")
    assert len(minified) < len(SCRIPT) / 2
    assert "//" not in minified and "runningTotal" not in minified
    assert run(minified) == run(SCRIPT) == "[12,8]\n"


def test_only_the_sites_own_scripts_are_minified(tmp_path):
    for name in ("search.js", "calc-data.js", "bundle.a5f9d56c.min.js", "workers/search.1e90e0fb.min.js"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("var x = 1;\n")
    assert [p.name for p in ms.own_scripts(tmp_path)] == ["calc-data.js", "search.js"]


def test_a_script_that_does_not_parse_fails_the_build_naming_its_line(tmp_path):
    (tmp_path / "good.js").write_text(SCRIPT, encoding="utf-8")
    (tmp_path / "broken.js").write_text("var ok = 1;\nvar = 2;\nvar after = 3;\n", encoding="utf-8")
    with pytest.raises(PluginError, match=r"broken\.js:2:"):
        ms.minify(ms.own_scripts(tmp_path))


def test_a_missing_esbuild_fails_the_build_with_what_to_do(tmp_path):
    (tmp_path / "a.js").write_text(SCRIPT, encoding="utf-8")
    with pytest.raises(PluginError, match="make install"):
        ms.minify([tmp_path / "a.js"], esbuild=tmp_path / "no-esbuild")
