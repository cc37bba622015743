// Unit test of extension.js with stand-ins for the `vscode` API and for
// vscode-languageclient (VS Code itself cannot run here): activation starts
// `dtr lsp` from the configured path, a settings change restarts it, and a
// server that fails to start leads to an error message pointing at the
// setting; the bundled server is preferred to PATH and the setting to both;
// the report a code lens asks for opens beside the file. The language
// configuration's patterns are checked on sample
// lines. Run with `node --test test/extension.test.js`.
'use strict';

const assert = require('node:assert/strict');
const Module = require('node:module');
const path = require('node:path');
const test = require('node:test');

function harness({ settings = {}, startFails = false, answer = async () => '<html>page</html>' } = {}) {
  const log = { clients: [], errors: [], commands: {}, configListeners: [], opened: [], panels: [], requests: [], saveListeners: [] };
  const vscode = {
    ViewColumn: { Beside: -2 },
    workspace: {
      onDidSaveTextDocument: (listener) => {
        log.saveListeners.push(listener);
        return { dispose() {} };
      },
      openTextDocument: async (options) => ({ options }),
      getConfiguration: (section) => ({
        get: (key, fallback) => {
          const value = settings[`${section}.${key}`];
          return value === undefined ? fallback : value;
        },
      }),
      onDidChangeConfiguration: (listener) => {
        log.configListeners.push(listener);
        return { dispose() {} };
      },
    },
    window: {
      activeTextEditor: undefined,
      createWebviewPanel: (viewType, title, showOptions, options) => {
        const panel = {
          viewType, title, showOptions, options, revealed: 0, webview: { html: '' },
          reveal() { this.revealed += 1; },
          onDidDispose(listener) { this.dispose = listener; },
        };
        log.panels.push(panel);
        return panel;
      },
      createOutputChannel: (name) => ({ name, dispose() {} }),
      showTextDocument: async (document, options) => {
        log.opened.push({ content: document.options.content, options });
      },
      showErrorMessage: async (message) => {
        log.errors.push(message);
        return undefined;
      },
    },
    commands: {
      registerCommand: (id, callback) => {
        log.commands[id] = callback;
        return { dispose() {} };
      },
      executeCommand: async () => undefined,
    },
  };
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, state: 'starting', stopped: false });
      log.clients.push(this);
    }
    async start() {
      if (startFails) throw new Error('spawn dtr ENOENT');
      this.state = 'running';
    }
    async stop() {
      this.stopped = true;
      this.state = 'stopped';
    }
    async sendRequest(method, params) {
      log.requests.push([method, params]);
      return answer(params);
    }
  }
  const stubs = {
    vscode,
    'vscode-languageclient/node': { LanguageClient, State: { Stopped: 'stopped' } },
  };
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request in stubs ? stubs[request] : load.call(this, request, ...rest);
  };
  const file = path.join(__dirname, '..', 'extension.js');
  delete require.cache[file];
  delete require.cache[path.join(__dirname, '..', 'escalation.js')];
  try {
    return { extension: require(file), log, vscode };
  } finally {
    Module._load = load;
  }
}

test('activation starts `dtr lsp` for DTR documents', async () => {
  const { extension, log } = harness();
  await extension.activate({ subscriptions: [] });
  assert.equal(log.clients.length, 1);
  const [client] = log.clients;
  assert.deepEqual(client.serverOptions, { command: 'dtr', args: ['lsp'] });
  assert.deepEqual(client.clientOptions.documentSelector, [{ language: 'dtr' }]);
  assert.equal(client.state, 'running');
  assert.ok(log.commands['dtr.restartServer']);
});

test('dtr.server.path and extraArgs choose the command', async () => {
  const { extension, log } = harness({
    settings: { 'dtr.server.path': '/opt/dtr/bin/dtr', 'dtr.server.extraArgs': ['--stdio'] },
  });
  await extension.activate({ subscriptions: [] });
  assert.deepEqual(log.clients[0].serverOptions, { command: '/opt/dtr/bin/dtr', args: ['lsp', '--stdio'] });
});

test('changing a dtr.server setting restarts the server', async () => {
  const { extension, log } = harness();
  await extension.activate({ subscriptions: [] });
  const [listener] = log.configListeners;
  await listener({ affectsConfiguration: (section) => section === 'editor.fontSize' });
  assert.equal(log.clients.length, 1, 'unrelated settings do not restart');
  await listener({ affectsConfiguration: (section) => section === 'dtr.server' });
  assert.equal(log.clients.length, 2);
  assert.ok(log.clients[0].stopped);
  await log.commands['dtr.restartServer']();
  assert.equal(log.clients.length, 3);
  assert.ok(log.clients[1].stopped);
  await extension.deactivate();
  assert.ok(log.clients[2].stopped);
});

test('without an extension folder, no relative server/ is looked for', async () => {
  // The packaging script writes editors/vscode/server/ while it runs.
  const fs = require('node:fs');
  fs.mkdirSync('server', { recursive: true });
  fs.writeFileSync(path.join('server', 'dtr'), '');
  try {
    const { extension, log } = harness();
    await extension.activate({ subscriptions: [] });
    assert.equal(log.clients[0].serverOptions.command, 'dtr');
  } finally {
    fs.rmSync('server', { recursive: true, force: true });
  }
});

test('the bundled server is preferred to PATH, the setting to both', async () => {
  const fs = require('node:fs');
  const os = require('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtr-ext-'));
  const bundled = path.join(dir, 'server', process.platform === 'win32' ? 'dtr.exe' : 'dtr');
  try {
    let { extension, log } = harness();
    await extension.activate({ subscriptions: [], extensionPath: dir });
    assert.equal(log.clients[0].serverOptions.command, 'dtr', 'nothing bundled: PATH');
    fs.mkdirSync(path.dirname(bundled));
    fs.writeFileSync(bundled, '');
    ({ extension, log } = harness());
    await extension.activate({ subscriptions: [], extensionPath: dir });
    assert.equal(log.clients[0].serverOptions.command, bundled);
    ({ extension, log } = harness({ settings: { 'dtr.server.path': '/opt/dtr/bin/dtr' } }));
    await extension.activate({ subscriptions: [], extensionPath: dir });
    assert.equal(log.clients[0].serverOptions.command, '/opt/dtr/bin/dtr');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a server that cannot start is reported with the setting to fix', async () => {
  const { extension, log } = harness({ startFails: true });
  await extension.activate({ subscriptions: [] });
  assert.equal(log.errors.length, 1);
  assert.match(log.errors[0], /could not start `dtr lsp`/);
  assert.match(log.errors[0], /dtr\.server\.path/);
});

test('the report a lens asks for (dtr.showReport) opens beside the file', async () => {
  const { extension, log } = harness();
  await extension.activate({ subscriptions: [] });
  const { executeCommand } = log.clients[0].clientOptions.middleware;
  const sent = [];
  const next = async (command, args) => {
    sent.push([command, args]);
    return command === 'dtr.showReport' ? 'Scenario narva …' : 'narva: 1 of 1 expectations hold';
  };
  assert.equal(await executeCommand('dtr.showReport', ['file:///b.dtr', 'narva'], next), 'Scenario narva …');
  assert.deepEqual(log.opened, [{ content: 'Scenario narva …', options: { viewColumn: -2, preview: true } }]);
  await executeCommand('dtr.runExpectations', ['file:///b.dtr', 'narva'], next);
  assert.equal(log.opened.length, 1, 'the expectations are a message from the server, not a document');
  assert.deepEqual(sent.map(([command]) => command), ['dtr.showReport', 'dtr.runExpectations']);
});

test('the escalation a lens asks for (dtr.showEscalation) opens in a webview beside the file', async () => {
  const { extension, log } = harness();
  await extension.activate({ subscriptions: [] });
  const { executeCommand } = log.clients[0].clientOptions.middleware;
  const next = async () => '<!DOCTYPE html><p>narva</p>';
  assert.equal(await executeCommand('dtr.showEscalation', ['file:///w/b%20c.dtr', 'narva'], next), '<!DOCTYPE html><p>narva</p>');
  assert.equal(log.panels.length, 1);
  const [panel] = log.panels;
  assert.equal(panel.title, 'Escalation: b c.dtr (narva)');
  assert.deepEqual(panel.showOptions, { viewColumn: -2, preserveFocus: true });
  assert.deepEqual(panel.options, { enableScripts: true, localResourceRoots: [] }, 'its script runs; it loads nothing');
  assert.equal(panel.webview.html, '<!DOCTYPE html><p>narva</p>');
  // Again: the same panel, brought forward.
  await executeCommand('dtr.showEscalation', ['file:///w/b%20c.dtr', 'narva'], async () => 'second');
  assert.equal(log.panels.length, 1);
  assert.equal(panel.revealed, 1);
  assert.equal(panel.webview.html, 'second');
  assert.equal(log.opened.length, 0, 'no text document');
});

test('DTR: Show Escalation shows the active file, refreshed on every .dtr save', async () => {
  let version = 1;
  const { extension, log, vscode } = harness({ answer: async () => `<p>page ${version}</p>` });
  await extension.activate({ subscriptions: [] });
  await log.commands['dtr.showEscalationBeside']();
  assert.match(log.errors[0], /open a \.dtr file/, 'no .dtr editor: says so');
  vscode.window.activeTextEditor = { document: { languageId: 'dtr', uri: { toString: () => 'file:///w/a.dtr' } } };
  await log.commands['dtr.showEscalationBeside']();
  assert.deepEqual(log.requests, [['workspace/executeCommand', { command: 'dtr.showEscalation', arguments: ['file:///w/a.dtr'] }]]);
  const [panel] = log.panels;
  assert.equal(panel.webview.html, '<p>page 1</p>');
  // Saving another .dtr file (an import) refreshes it; other files do not.
  version = 2;
  const [saved] = log.saveListeners;
  await saved({ languageId: 'markdown' });
  assert.equal(log.requests.length, 1);
  await saved({ languageId: 'dtr' });
  assert.equal(log.requests.length, 2);
  assert.equal(panel.webview.html, '<p>page 2</p>');
  // Closed: no longer refreshed.
  panel.dispose();
  await saved({ languageId: 'dtr' });
  assert.equal(log.requests.length, 2);
});

test('an escalation the server cannot give shows why, escaped', async () => {
  const { extension, log, vscode } = harness({
    answer: async () => {
      throw new Error('the document has errors; fix them <now>');
    },
  });
  await extension.activate({ subscriptions: [] });
  vscode.window.activeTextEditor = { document: { languageId: 'dtr', uri: { toString: () => 'file:///w/a.dtr' } } };
  await log.commands['dtr.showEscalationBeside']();
  const html = log.panels[0].webview.html;
  assert.match(html, /the document has errors; fix them &#60;now&#62;/);
  assert.doesNotMatch(html, /<now>/);
});

test('language configuration: indentation rules and comment continuation', () => {
  const config = require('../language-configuration.json');
  const increase = new RegExp(config.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
  for (const line of ['actor USA "United States" {', '  obligation article5 defend {', 'settings {  // comment', '  members: [']) {
    assert.match(line, increase, `indent after: ${line}`);
  }
  for (const line of ['actor EST { region: baltic }', 'threat RUS -> [EST, LVA]', '  resolve: 90%']) {
    assert.doesNotMatch(line, increase, `no indent after: ${line}`);
  }
  for (const line of ['}', '  ]', ')']) assert.match(line, decrease);
  const words = new RegExp(config.wordPattern, 'g');
  assert.deepEqual('credibility: 85% except'.match(words), ['credibility', '85%', 'except']);
  const docRule = config.onEnterRules.find((rule) => rule.action.appendText === '/// ');
  assert.match('  /// Article 5', new RegExp(docRule.beforeText));
  assert.doesNotMatch('  // plain', new RegExp(docRule.beforeText));
  assert.deepEqual(config.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
});
