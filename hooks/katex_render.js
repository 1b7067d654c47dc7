// Render TeX with the pinned KaTeX for hooks/math.py: one process per build.
// stdin: one JSON request per line {"id", "tex", "display"}; stdout: {"id", "html"} or {"id", "error"}.
// argv[2]: JSON object of site-wide macros.
"use strict";
const katex = require("katex");
const readline = require("readline");

const macros = JSON.parse(process.argv[2] || "{}");

function render({ id, tex, display }) {
  try {
    const html = katex.renderToString(tex, {
      displayMode: display,
      output: "htmlAndMathml",
      throwOnError: true,
      strict: "error", // what KaTeX would only warn about (e.g. CJK outside \text{}) fails the build
      trust: false,
      macros: { ...macros },
    });
    return { id, html };
  } catch (error) {
    return { id, error: error instanceof katex.ParseError ? error.message : String(error) };
  }
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  process.stdout.write(JSON.stringify(render(JSON.parse(line))) + "\n");
});
