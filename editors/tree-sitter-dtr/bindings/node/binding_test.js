import assert from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import Parser from "tree-sitter";

const examples = new URL("../../../../examples/", import.meta.url);

test("can load grammar", async () => {
  const parser = new Parser();
  await assert.doesNotReject(async () => {
    const { default: language } = await import("./index.js");
    parser.setLanguage(language);
  });
});

test("parses every example without errors", async () => {
  const { default: language } = await import("./index.js");
  const parser = new Parser();
  parser.setLanguage(language);
  const files = readdirSync(examples).filter((name) => name.endsWith(".dtr"));
  assert.ok(files.length >= 5, `${files.length} examples`);
  for (const name of files) {
    const tree = parser.parse(readFileSync(new URL(name, examples), "utf8"));
    assert.equal(tree.rootNode.hasError, false, `${name} parses with errors`);
  }
});

test("the highlight query captures a declared actor", async () => {
  const { default: language } = await import("./index.js");
  const parser = new Parser();
  parser.setLanguage(language);
  const query = new Parser.Query(language, language.HIGHLIGHTS_QUERY);
  const tree = parser.parse('actor USA "United States"\n');
  const captures = query.captures(tree.rootNode).map(({ name, node }) => `${name}:${node.text}`);
  assert.ok(captures.includes("type:USA"), captures.join(" "));
});
