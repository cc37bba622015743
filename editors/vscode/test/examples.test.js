// Tokenises every example (examples/*.dtr) with the TextMate grammar, as
// VS Code does: no token may be scoped `invalid`, and each declaration
// keyword at the start of a line is scoped as a declaration.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const test = require('node:test');
const oniguruma = require('vscode-oniguruma');
const textmate = require('vscode-textmate');

const grammarPath = path.join(__dirname, '..', 'syntaxes', 'dtr.tmLanguage.json');
const examples = path.join(__dirname, '..', '..', '..', 'examples');

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async () => textmate.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
  });
  return registry.loadGrammar('source.dtr');
}

const DECLARATION = /^(import|settings|domain|region|actor|alliance|commitment|threat|scenario|expect)\b/;

test('every example tokenises without invalid scopes', async () => {
  const grammar = await loadGrammar();
  const files = fs.readdirSync(examples).filter((name) => name.endsWith('.dtr'));
  assert.ok(files.length >= 5, `examples found: ${files}`);
  for (const file of files) {
    let stack = textmate.INITIAL;
    const lines = fs.readFileSync(path.join(examples, file), 'utf8').split(/\r?\n/);
    lines.forEach((line, index) => {
      const { tokens, ruleStack } = grammar.tokenizeLine(line, stack);
      stack = ruleStack;
      const where = `${file}:${index + 1}`;
      for (const token of tokens) {
        const invalid = token.scopes.find((scope) => scope.startsWith('invalid'));
        assert.equal(invalid, undefined, `${where}: ${line.slice(token.startIndex, token.endIndex)} is ${invalid}`);
      }
      const keyword = DECLARATION.exec(line);
      if (keyword && !tokens[0].scopes.some((s) => s.startsWith('comment'))) {
        const scopes = tokens[0].scopes.join(' ');
        assert.match(scopes, /storage\.type|keyword\.control\.import/, `${where}: ${keyword[1]} is ${scopes}`);
      }
    });
  }
});
