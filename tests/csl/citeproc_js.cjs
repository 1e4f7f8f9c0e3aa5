// The reference implementation: citeproc-js (through citation-js) formats CSL items with
// a .csl style file, one bibliography entry per item. Reads {"style": path, "items": [...]}
// as JSON on standard input; writes a JSON list of HTML entries. Used only by tests.
"use strict";
const { readFileSync } = require("node:fs");
const { Cite, plugins } = require("@citation-js/core");
require("@citation-js/plugin-csl");

const input = JSON.parse(readFileSync(0, "utf8"));
const config = plugins.config.get("@csl");
config.styles.add("under-test", readFileSync(input.style, "utf8"));
const entries = input.items.map((item) =>
  new Cite(item).format("bibliography", { format: "html", template: "under-test", lang: "en-US" }));
process.stdout.write(JSON.stringify(entries));
