// Builds the platform package of the extension with its own `dtr`, as
// rust-analyzer ships its server: the binary goes to `server/`, where
// extension.js looks first, and `vsce package --target` marks the .vsix
// for that platform (the Marketplace and Open VSX serve each user theirs).
//
//   node scripts/package-target.js TARGET /path/to/dtr [OUT_DIR]
//
// TARGET is a VS Code platform (linux-x64, darwin-arm64, win32-x64, …) or
// the Rust target triple of the binary (x86_64-unknown-linux-gnu, …). The
// .vsix is written to OUT_DIR (default: here) as dtr-TARGET-VERSION.vsix;
// its path is printed. `server/` is removed again afterwards.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

// The triples cargo-dist builds (dist-workspace.toml), and musl for Alpine.
const PLATFORMS = {
  'x86_64-unknown-linux-gnu': 'linux-x64',
  'aarch64-unknown-linux-gnu': 'linux-arm64',
  'x86_64-unknown-linux-musl': 'alpine-x64',
  'aarch64-unknown-linux-musl': 'alpine-arm64',
  'x86_64-apple-darwin': 'darwin-x64',
  'aarch64-apple-darwin': 'darwin-arm64',
  'x86_64-pc-windows-msvc': 'win32-x64',
  'aarch64-pc-windows-msvc': 'win32-arm64',
};
const TARGETS = new Set(Object.values(PLATFORMS));

function fail(message) {
  process.stderr.write(`package-target: ${message}\n`);
  process.exit(2);
}

const [given, binary, outDir = '.'] = process.argv.slice(2);
if (!given || !binary) fail('usage: node scripts/package-target.js TARGET /path/to/dtr [OUT_DIR]');
const target = PLATFORMS[given] || given;
if (!TARGETS.has(target)) fail(`unknown target ${given}; one of ${[...TARGETS].join(', ')} or a Rust triple`);
if (!fs.statSync(binary, { throwIfNoEntry: false })?.isFile()) fail(`no binary at ${binary}`);

const root = path.join(__dirname, '..');
const version = require(path.join(root, 'package.json')).version;
const server = path.join(root, 'server');
const out = path.resolve(outDir, `dtr-${target}-${version}.vsix`);
fs.rmSync(server, { recursive: true, force: true });
fs.mkdirSync(server);
try {
  const bundled = path.join(server, target.startsWith('win32') ? 'dtr.exe' : 'dtr');
  fs.copyFileSync(binary, bundled);
  fs.chmodSync(bundled, 0o755);
  const vsce = path.join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
  const run = spawnSync(vsce, ['package', '--target', target, '--out', out], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0) fail(`vsce package --target ${target} failed`);
} finally {
  fs.rmSync(server, { recursive: true, force: true });
}
process.stdout.write(`${out}\n`);
