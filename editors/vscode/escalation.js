// "DTR: Show Escalation": the HTML report of a .dtr file (the server's
// `dtr.showEscalation`, as `dtr analyze FILE --format html` writes it) in
// a webview beside the file, one per file, refreshed when any .dtr file is
// saved (an import changes the report too). The page is self-contained:
// its script (hover, click) runs in the webview; it loads nothing.
'use strict';

const COMMAND = 'dtr.showEscalation';

/** Text for HTML. */
function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page shown while the file cannot be analysed (it has errors). */
function problemPage(file, message) {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(file)}</title></head>` +
    `<body style="font-family: system-ui, sans-serif"><h1>${escape(file)}</h1><p>${escape(message)}</p>` +
    '<p>The escalation returns when the file checks and is saved.</p></body></html>';
}

/**
 * @param vscode the `vscode` module
 * @param execute runs a server command: (command, arguments) => result
 */
function create(vscode, execute) {
  /** Open panels by document URI: { panel, scenario }. */
  const panels = new Map();

  const name = (uri) => decodeURIComponent(uri.split('/').pop() || uri);

  function show(uri, scenario, html) {
    let entry = panels.get(uri);
    if (entry) {
      entry.scenario = scenario;
      entry.panel.reveal(vscode.ViewColumn.Beside, true);
    } else {
      const panel = vscode.window.createWebviewPanel(
        'dtr.escalation',
        `Escalation: ${name(uri)}${scenario ? ` (${scenario})` : ''}`,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: [] },
      );
      entry = { panel, scenario };
      panels.set(uri, entry);
      panel.onDidDispose(() => panels.delete(uri));
    }
    entry.panel.webview.html = html;
  }

  /** Asks the server again and shows the answer, or why there is none. */
  async function refresh(uri, scenario) {
    try {
      const html = await execute(COMMAND, scenario ? [uri, scenario] : [uri]);
      if (typeof html === 'string') show(uri, scenario, html);
    } catch (error) {
      show(uri, scenario, problemPage(name(uri), error.message || String(error)));
    }
  }

  return {
    COMMAND,
    panels,
    /** Middleware: a lens ran the command; show its answer. */
    shown(command, args, result) {
      if (command === COMMAND && typeof result === 'string' && typeof args[0] === 'string') {
        show(args[0], args[1], result);
      }
    },
    /** The palette's command: the active .dtr editor's file. */
    async showActive() {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== 'dtr') {
        await vscode.window.showErrorMessage('DTR: open a .dtr file to show its escalation.');
        return;
      }
      await refresh(editor.document.uri.toString());
    },
    /** On save: every open panel. */
    async saved(document) {
      if (document.languageId !== 'dtr') return;
      await Promise.all([...panels].map(([uri, entry]) => refresh(uri, entry.scenario)));
    },
  };
}

module.exports = { create, problemPage };
