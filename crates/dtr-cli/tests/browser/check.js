// Opens dtr's HTML reports in Debian's chromium, headless, through
// playwright-core, and reports what the page shows as JSON on standard
// output; tests/html_browser.rs compares it with the report's JSON.
//
//   node check.js MANIFEST
//
// MANIFEST: {"chromium": path, "profile": fresh directory, "pages": [{"name",
// "html", "kind": "analyze"|"sweep"|"mermaid", "shots": directory}]}; a
// mermaid page's "html" is the Markdown `dtr analyze --format mermaid`
// writes, whose diagrams Mermaid itself (the npm package, as GitHub uses
// it) renders into a blank page. Writes screenshots into `shots`: the
// whole page, each scenario's graph after a click on its last edge (the
// chain of commitments pinned), the heat map, the Mermaid diagrams.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function analyzePage(page, shots, name) {
  return page.evaluate(() => {
    const text = (e) => (e ? e.textContent.replace(/\s+/g, ' ').trim() : null);
    const rows = (table, key) => Object.fromEntries([...table.querySelectorAll('tbody tr')]
      .map((tr) => [tr.dataset[key], [...tr.cells].map(text)]));
    return {
      scenarios: [...document.querySelectorAll('section.scenario')].map((s) => ({
        name: s.id.replace(/^scenario-/, ''),
        nodes: [...s.querySelectorAll('svg.escalation g.node')].map((g) => {
          const r = g.querySelector('rect').getBBox();
          return { actor: g.dataset.actor, text: text(g), x: r.x, y: r.y, width: r.width, height: r.height };
        }),
        edges: [...s.querySelectorAll('svg.escalation g.edge')].map((g) => ({
          event: Number(g.dataset.event),
          rung: [...g.classList].find((c) => c.startsWith('rung-')) || null,
          stroke: getComputedStyle(g.querySelector('path:not(.hit)')).stroke,
        })),
        hubs: s.querySelectorAll('svg.escalation g.hub').length,
        legend: [...s.querySelectorAll('figure .legend .item')].map(text),
        enters: rows(s.querySelector('table.enters'), 'actor'),
        rungs: rows(s.querySelector('table.rungs'), 'rung'),
      })),
      gaps: [...document.querySelectorAll('table.gap-matrix td[data-domain]')].map((td) => ({
        aggressor: td.dataset.aggressor, target: td.dataset.target, domain: td.dataset.domain,
        text: text(td), classes: [...td.classList], title: td.title,
      })),
      expectations: [...document.querySelectorAll('table.expectations tbody tr')].map((tr) => ({ class: tr.className, text: text(tr) })),
    };
  }).then(async (facts) => {
    // Hover the last node of each scenario, then its last edge: the
    // tooltips' text; click the edge: the chain pinned below the graph and
    // lit in it, then a screenshot of the figure.
    for (const s of facts.scenarios) {
      const sel = `section#scenario-${CSS_escape(s.name)}`;
      if (s.nodes.length) {
        const node = `${sel} svg.escalation g.node[data-actor="${s.nodes[s.nodes.length - 1].actor}"]`;
        await page.dispatchEvent(node, 'mouseover', { clientX: 40, clientY: 40 });
        s.nodeTooltip = await page.textContent('.tooltip');
        await page.dispatchEvent(node, 'mouseout', {});
      }
      const last = s.edges.length - 1;
      if (last >= 0) {
        const edge = `${sel} svg.escalation g.edge[data-event="${last}"]`;
        await page.dispatchEvent(edge, 'mouseover', { clientX: 40, clientY: 40 });
        s.tooltip = await page.evaluate(() => {
          const t = document.querySelector('.tooltip');
          return t.hidden ? null : t.textContent;
        });
        await page.dispatchEvent(edge, 'mouseout', {});
        await page.dispatchEvent(edge, 'click');
        s.details = await page.textContent(`${sel} .details`);
      }
      await page.locator(`${sel} figure.graph`).screenshot({ path: path.join(shots, `${name}-${s.name}.png`) });
    }
    return facts;
  });
}

async function sweepPage(page, shots, name) {
  const facts = await page.evaluate(() => {
    const text = (e) => e.textContent.replace(/\s+/g, ' ').trim();
    return {
      cells: [...document.querySelectorAll('svg.heat-map rect.cell')].map((r) => ({
        title: text(r.querySelector('title')),
        opacity: Number(getComputedStyle(r).fillOpacity),
      })),
      ranking: [...document.querySelectorAll('table.ranking tbody tr')].map((tr) => [...tr.cells].map(text)),
      exposed: [...document.querySelectorAll('table.exposed tbody tr')].map((tr) => [...tr.cells].map(text)),
      legend: document.querySelectorAll('section.heat .legend .item').length,
    };
  });
  await page.locator('section.heat').screenshot({ path: path.join(shots, `${name}-heat.png`) });
  return facts;
}

async function mermaidPage(page, markdown, shots, name) {
  const blocks = [...fs.readFileSync(markdown, 'utf8').matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
  await page.setContent('<!DOCTYPE html><html><body><div id="diagrams"></div></body></html>');
  await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
  const diagrams = await page.evaluate(async (blocks) => {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    const out = [];
    for (const [i, text] of blocks.entries()) {
      try {
        const { svg } = await mermaid.render(`diagram${i}`, text);
        const div = document.createElement('div');
        div.innerHTML = svg;
        document.getElementById('diagrams').append(div);
        out.push({ nodes: div.querySelectorAll('g.node').length, links: div.querySelectorAll('path.flowchart-link').length });
      } catch (e) {
        out.push({ error: String(e && e.message ? e.message : e) });
      }
    }
    return out;
  }, blocks);
  if (blocks.length) await page.locator('#diagrams').screenshot({ path: path.join(shots, `${name}-mermaid.png`) });
  return { diagrams };
}

// CSS.escape is a browser API; scenario names are identifiers, which
// need escaping only where they start with a digit.
function CSS_escape(name) {
  return /^[0-9]/.test(name) ? `\\3${name[0]} ${name.slice(1)}` : name;
}

(async () => {
  const manifest = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const context = await chromium.launchPersistentContext(manifest.profile, {
    executablePath: manifest.chromium, headless: true, args: ARGS, viewport: { width: 1280, height: 900 },
  });
  const results = [];
  try {
    for (const p of manifest.pages) {
      const page = await context.newPage();
      const errors = [];
      const requests = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(`console error: ${m.text()}`); });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url()); });
      if (p.kind === 'mermaid') {
        const facts = await mermaidPage(page, p.html, p.shots, p.name);
        results.push({ name: p.name, errors, requests, ...facts });
        await page.close();
        continue;
      }
      const url = `file://${path.resolve(p.html)}`;
      const started = Date.now();
      await page.goto(url, { waitUntil: 'load' });
      const loaded = Date.now() - started;
      const facts = p.kind === 'sweep' ? await sweepPage(page, p.shots, p.name) : await analyzePage(page, p.shots, p.name);
      await page.screenshot({ path: path.join(p.shots, `${p.name}.png`), fullPage: true });
      await page.emulateMedia({ colorScheme: 'dark' });
      facts.dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.screenshot({ path: path.join(p.shots, `${p.name}-dark.png`) });
      await page.emulateMedia({ colorScheme: 'light', media: 'print' });
      facts.print = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      results.push({ name: p.name, errors, requests, loaded, ...facts });
      await page.close();
    }
  } finally {
    await context.close();
  }
  process.stdout.write(JSON.stringify(results));
})().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
