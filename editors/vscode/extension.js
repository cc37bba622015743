// VS Code client for the DTR language server (`dtr lsp`, stdio). Plain
// JavaScript so that `npm ci && npx vsce package` needs no build step.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, State } = require('vscode-languageclient/node');
const escalation = require('./escalation');

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let output;
/** Where the extension is installed (its `server/` folder, if any). */
let extensionPath = '';

/**
 * The `dtr` to run, as rust-analyzer chooses its server: the
 * `dtr.server.path` setting when set; else the binary bundled in this
 * platform's package (`server/dtr`, `server/dtr.exe` on Windows); else
 * `dtr` on PATH (the universal package bundles none).
 * @param {string} extensionPath
 */
function serverCommand(extensionPath) {
  const configured = vscode.workspace.getConfiguration('dtr').get('server.path');
  if (configured) return configured;
  if (!extensionPath) return 'dtr';
  const bundled = path.join(extensionPath, 'server', process.platform === 'win32' ? 'dtr.exe' : 'dtr');
  return fs.existsSync(bundled) ? bundled : 'dtr';
}

/** Runs a command of the server (the lenses' commands). */
function execute(command, args) {
  if (!client || client.state === State.Stopped) {
    return Promise.reject(new Error('the DTR language server is not running'));
  }
  return client.sendRequest('workspace/executeCommand', { command, arguments: args });
}

/** The escalation webviews ("DTR: Show Escalation"). */
const views = escalation.create(vscode, execute);

function serverOptions() {
  const config = vscode.workspace.getConfiguration('dtr');
  const command = serverCommand(extensionPath);
  const args = ['lsp', ...config.get('server.extraArgs', [])];
  return { command, args };
}

/**
 * The code lenses run the server's commands; `dtr.showReport` answers with
 * the report's text, opened here beside the file; `dtr.showEscalation`
 * with the HTML page, shown in a webview beside it.
 */
async function showReports(command, args, next) {
  const result = await next(command, args);
  if (command === 'dtr.showReport' && typeof result === 'string') {
    const document = await vscode.workspace.openTextDocument({ content: result });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
  views.shown(command, args, result);
  return result;
}

async function start() {
  client = new LanguageClient(
    'dtr',
    'DTR Language Server',
    serverOptions(),
    {
      documentSelector: [{ language: 'dtr' }],
      outputChannel: output,
      middleware: { executeCommand: showReports },
    },
  );
  try {
    await client.start();
  } catch (error) {
    const { command } = serverOptions();
    const choice = await vscode.window.showErrorMessage(
      `DTR: could not start \`${command} lsp\` (${error.message || error}). ` +
        'Install dtr (docs/install.md: a released binary, or cargo install) or set "dtr.server.path".',
      'Open settings',
    );
    if (choice === 'Open settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'dtr.server');
    }
  }
}

async function stop() {
  if (client && client.state !== State.Stopped) {
    await client.stop();
  }
  client = undefined;
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  extensionPath = context.extensionPath || '';
  output = vscode.window.createOutputChannel('DTR Language Server');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('dtr.restartServer', async () => {
      await stop();
      await start();
    }),
    vscode.commands.registerCommand('dtr.showEscalationBeside', () => views.showActive()),
    vscode.workspace.onDidSaveTextDocument((document) => views.saved(document)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('dtr.server')) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate, serverCommand };
