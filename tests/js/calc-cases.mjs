// Evaluates calc-formulas.js on the cases given as JSON on stdin ({precisions, dtypeBytes, cases:
// [{config, scenario}]}) and prints every output's raw value per case as JSON (tests/test_js_units.py).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const { compute } = createRequire(import.meta.url)("../../overrides/assets/javascripts/calc-formulas.js");
const input = JSON.parse(readFileSync(0, "utf8"));
const results = input.cases.map(({ config, scenario }) => {
  const out = compute({ ...config }, scenario, input);
  return Object.fromEntries(Object.entries(out).map(([key, { value, formula }]) => [key, { value, formula }]));
});
console.log(JSON.stringify(results));
