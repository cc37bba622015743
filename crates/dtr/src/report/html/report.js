'use strict';
// Hover and click on the escalation graphs: the chain of commitments that
// led to an attack, an actor's most probable path, a hub's firings, each
// with its credibility and where it is declared. Reads the report's data
// from the JSON element #dtr-data; writes text only (never markup).
(() => {
  const data = JSON.parse(document.getElementById('dtr-data').textContent || '{}');
  const tip = document.querySelector('.tooltip');

  const pct = (p) => {
    const tenths = Math.round(p * 1000) / 10;
    return (Number.isInteger(tenths) ? tenths.toFixed(0) : tenths.toFixed(1)) + '%';
  };
  const el = (tag, cls, ...children) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    e.append(...children);
    return e;
  };
  const estimate = (e) => (e.interval ? `${pct(e.value)} [${pct(e.interval.low)}, ${pct(e.interval.high)}]` : pct(e.value));

  // The events from the opening to event i, following what each answered.
  const chainOf = (sc, i) => {
    const chain = [];
    for (let k = i; k != null && chain.length <= sc.events.length; k = sc.events[k].trigger) chain.unshift(k);
    return chain;
  };

  const eventItem = (e) => {
    const li = el('li', null, el('span', 'step', `step ${e.step} `), el('b', null, `${e.aggressor} attacks ${e.victim}`), ` at ${e.rung}`);
    if (e.p == null) li.append(' — opening');
    else li.append(' — ', e.cause, ' ', el('span', 'p', pct(e.p)), ' ', el('span', 'at', e.at));
    return li;
  };

  const describeEvent = (sc, i) => {
    const chain = chainOf(sc, i);
    const e = sc.events[i];
    const p = chain.reduce((acc, k) => acc * (sc.events[k].p ?? 1), 1);
    const box = el('div', null,
      el('h4', null, `${e.aggressor} attacks ${e.victim} at ${e.rung}`),
      el('p', 'muted', `Chain of commitments from the opening; credibilities multiply to ${pct(p)}:`),
      el('ol', 'chain', ...chain.map((k) => eventItem(sc.events[k]))));
    const actors = new Set(chain.flatMap((k) => [sc.events[k].aggressor, sc.events[k].victim]));
    const hubs = new Set(sc.hubs.flatMap((h, n) => (h.events.some((k) => chain.includes(k)) ? [n] : [])));
    return { box, events: new Set(chain), actors, hubs };
  };

  const describeActor = (sc, name) => {
    const a = sc.actors.find((x) => x.actor === name);
    const box = el('div', null, el('h4', null, `${name}: P(joins) ${estimate(a.enters)}`),
      el('p', 'muted', `P(attacks) ${estimate(a.attacks)} by its own commitments; P(attacked) ${estimate(a.attacked)}` +
        (a.side ? `; on the ${a.side}'s side.` : '.')));
    if (a.entry) box.append(el('p', 'muted', `Enters at step ${a.entry.step} (${a.entry.rung}) when every commitment is honoured.`));
    if (a.path && a.path.steps.length) {
      box.append(el('p', 'muted', `Most probable path (${pct(a.path.probability)}):`));
      box.append(el('ol', 'chain', ...a.path.steps.map((s) =>
        el('li', null, s.commitment, ' ', el('span', 'p', pct(s.p)), ` → ${s.acting} attacks ${s.target} at ${s.rung} `, el('span', 'at', s.at)))));
    }
    const events = new Set();
    sc.events.forEach((e, k) => { if (e.aggressor === name || e.victim === name) events.add(k); });
    return { box, events, actors: new Set([name]), hubs: new Set() };
  };

  const describeHub = (sc, h) => {
    const hub = sc.hubs[h];
    const first = sc.events[hub.events[0]];
    const box = el('div', null,
      el('h4', null, `${hub.provision} at step ${hub.step}`),
      el('p', 'muted', `${hub.events.length} firings drawn through this node; declared at `, el('span', 'at', first.at)),
      el('ul', 'chain', ...hub.events.map((k) => {
        const e = sc.events[k];
        return el('li', null, el('b', null, `${e.aggressor} attacks ${e.victim}`), ` at ${e.rung} — `, e.cause, ' ', el('span', 'p', pct(e.p)));
      })));
    const actors = new Set(hub.events.flatMap((k) => [sc.events[k].aggressor, sc.events[k].victim]));
    return { box, events: new Set(hub.events), actors, hubs: new Set([h]) };
  };

  const targetOf = (node) => (node && node.closest ? node.closest('[data-event],[data-actor],[data-hub]') : null);
  const describe = (t) => {
    const sc = data.scenarios[Number(t.closest('section.scenario').dataset.scenario)];
    if (t.dataset.event != null) return describeEvent(sc, Number(t.dataset.event));
    if (t.dataset.hub != null) return describeHub(sc, Number(t.dataset.hub));
    return describeActor(sc, t.dataset.actor);
  };

  const highlight = (svg, d) => {
    svg.classList.add('dim');
    svg.querySelectorAll('.edge').forEach((g) => g.classList.toggle('lit', d.events.has(Number(g.dataset.event))));
    svg.querySelectorAll('.node').forEach((g) => g.classList.toggle('lit', d.actors.has(g.dataset.actor)));
    svg.querySelectorAll('.hub').forEach((g) => g.classList.toggle('lit', d.hubs.has(Number(g.dataset.hub))));
  };
  const unlight = (svg) => {
    svg.classList.remove('dim');
    svg.querySelectorAll('.lit').forEach((g) => g.classList.remove('lit'));
  };
  const place = (ev) => {
    const pad = 14;
    const { innerWidth: w, innerHeight: h } = window;
    const r = tip.getBoundingClientRect();
    tip.style.left = `${Math.max(0, Math.min(ev.clientX + pad, w - r.width - pad))}px`;
    tip.style.top = `${ev.clientY + pad + r.height > h ? Math.max(0, ev.clientY - r.height - pad) : ev.clientY + pad}px`;
  };
  const pin = (svg, t) => svg.closest('figure').querySelector('.details').replaceChildren(describe(t).box);

  document.querySelectorAll('svg.escalation').forEach((svg) => {
    // The custom tooltip replaces the native one; the text stays as a label.
    svg.querySelectorAll('title').forEach((title) => {
      title.parentElement.setAttribute('aria-label', title.textContent);
      title.remove();
    });
    // A wide transparent copy under each edge takes the pointer (made here,
    // not written in the page, where it would double the paths' weight).
    svg.querySelectorAll('g.edge > path').forEach((line) => {
      const hit = line.cloneNode(false);
      hit.removeAttribute('marker-end');
      hit.setAttribute('class', 'hit');
      line.before(hit);
    });
    svg.addEventListener('mouseover', (ev) => {
      const t = targetOf(ev.target);
      if (!t) return;
      const d = describe(t);
      tip.replaceChildren(d.box);
      tip.hidden = false;
      place(ev);
      highlight(svg, d);
    });
    svg.addEventListener('mousemove', (ev) => { if (!tip.hidden) place(ev); });
    svg.addEventListener('mouseout', (ev) => {
      if (targetOf(ev.relatedTarget)) return;
      tip.hidden = true;
      unlight(svg);
    });
    svg.addEventListener('click', (ev) => {
      const t = targetOf(ev.target);
      if (t) {
        pin(svg, t);
        highlight(svg, describe(t));
      }
    });
    svg.addEventListener('focusin', (ev) => {
      const t = targetOf(ev.target);
      if (t) {
        pin(svg, t);
        highlight(svg, describe(t));
      }
    });
    svg.addEventListener('focusout', () => unlight(svg));
  });
  // Printed pages show every table, folded or not.
  window.addEventListener('beforeprint', () => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
})();
