// Measures how long chromium (headless) takes to show dtr's HTML pages:
// the figures of docs/report.md, "Size and time". Not a test: timings
// depend on the machine.
//
//   node crates/dtr-cli/tests/browser/measure.js PAGE.html...
//
// For each page, five loads in a fresh profile; prints the size and the
// median time to the first contentful paint and to the `load` event (the
// page's script, which sets up the graphs' hover, has run by then).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const RUNS = 5;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dtr-measure-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ARGS,
  });
  try {
    for (const file of process.argv.slice(2)) {
      const paint = [];
      const load = [];
      for (let i = 0; i < RUNS; i++) {
        const page = await context.newPage();
        await page.goto(`file://${path.resolve(file)}`, { waitUntil: 'load' });
        // A small page can load before its first paint is recorded.
        await page.waitForFunction(() => performance.getEntriesByType('paint').some((p) => p.name === 'first-contentful-paint'));
        const t = await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0];
          const fcp = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint');
          return { paint: fcp.startTime, load: nav.loadEventEnd };
        });
        paint.push(t.paint);
        load.push(t.load);
        await page.close();
      }
      const kb = (fs.statSync(file).size / 1024).toFixed(0);
      console.log(`${file}: ${kb} KB, first paint ${median(paint).toFixed(0)} ms, load ${median(load).toFixed(0)} ms (median of ${RUNS})`);
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
