// A dry run of the Open VSX publish step, with no token and no network:
// `ovsx publish FILE.vsix -p TOKEN -r URL` against a registry on
// 127.0.0.1 that takes the upload, checks it is the whole .vsix, and
// answers as open-vsx.org does. The real step (docs/install.md) is the
// same command without `-r`, with the namespace's token.
//
//   node scripts/ovsx-dry-run.js dtr-linux-x64-0.1.0.vsix
//
// Prints ovsx's output and "dry run: received N bytes"; exits 1 on failure.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const vsix = process.argv[2];
if (!vsix || !fs.existsSync(vsix)) {
  process.stderr.write('usage: node scripts/ovsx-dry-run.js FILE.vsix\n');
  process.exit(2);
}
const manifest = require(path.join(__dirname, '..', 'package.json'));
const target = /^dtr-(.+)-\d+\.\d+\.\d+\.vsix$/.exec(path.basename(vsix))?.[1] || 'universal';
const TOKEN = 'dry-run-token';
let received = -1;

const registry = http.createServer((request, response) => {
  const url = new URL(request.url, 'http://127.0.0.1');
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    const ok = request.method === 'POST' && url.pathname === '/api/-/publish' && url.searchParams.get('token') === TOKEN;
    if (!ok) {
      response.writeHead(400, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ error: `unexpected ${request.method} ${url.pathname}` }));
      return;
    }
    received = body.length;
    const whole = body.equals(fs.readFileSync(vsix));
    response.writeHead(whole ? 201 : 400, { 'Content-Type': 'application/json' });
    response.end(
      JSON.stringify(
        whole
          ? { namespace: manifest.publisher, name: manifest.name, version: manifest.version, targetPlatform: target }
          : { error: 'the upload is not the .vsix' },
      ),
    );
  });
});

registry.listen(0, '127.0.0.1', () => {
  const { port } = registry.address();
  const ovsx = path.join(__dirname, '..', 'node_modules', '.bin', process.platform === 'win32' ? 'ovsx.cmd' : 'ovsx');
  const child = spawn(ovsx, ['publish', vsix, '-p', TOKEN, '-r', `http://127.0.0.1:${port}`], { stdio: 'inherit' });
  child.on('exit', (code) => {
    registry.close();
    process.stdout.write(`dry run: received ${received} bytes\n`);
    process.exit(code === 0 && received > 0 ? 0 : 1);
  });
});
