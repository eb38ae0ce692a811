// The Agent Gateway console. Read-only: every request is a GET of ../api/*. URLs are relative, so
// the page works under any prefix (kubectl port-forward, a proxy path). No inline code (the CSP
// forbids it); elements are built with textContent, never from HTML strings.
'use strict';

const API = '../api/';
const TOKEN_KEY = 'agentgateway.admin.token';
const charts = new Map();
let namespacesTimer = null;
let auditAbort = null;

// ---------- small DOM helpers ----------
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}
const $ = (id) => document.getElementById(id);
const fmt = (n) => Number(n).toLocaleString('en-US');
function badge(decision) {
  const cls = decision === 'allow' ? 'text-bg-success' : decision === 'deny' ? 'text-bg-danger' : 'text-bg-secondary';
  return el('span', { class: 'badge ' + cls, text: decision });
}
function statusBadge(status) {
  const s = Number(status);
  const cls = s >= 500 ? 'text-bg-dark' : s === 429 ? 'text-bg-warning' : s >= 400 ? 'text-bg-danger' : 'text-bg-success';
  return el('span', { class: 'badge ' + cls, text: String(status) });
}
function pctText(p) {
  return (p > 0 && p < 1) || (p > 99 && p < 100) ? p.toFixed(2) + '%' : Math.round(p) + '%';
}
// A duration from the gateway's own clock, so a skewed browser clock does not matter.
function until(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s >= 86400) return Math.floor(s / 86400) + 'd ' + Math.floor((s % 86400) / 3600) + 'h';
  if (s >= 3600) return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
  if (s >= 60) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
  return s + 's';
}

// ---------- API access (with the admin credential when one is needed) ----------
function headers() {
  const t = sessionStorage.getItem(TOKEN_KEY);
  return t ? { authorization: 'Bearer ' + t } : {};
}
async function api(path) {
  const r = await fetch(API + path, { headers: headers(), cache: 'no-store' });
  if (r.status === 401 || r.status === 403) {
    const body = await r.json().catch(() => ({}));
    askForToken(body.error && body.error.message);
    throw new Error('not authorized');
  }
  $('signin').classList.add('d-none');
  const body = await r.json();
  if (!r.ok) throw new Error(body.error ? body.error.message : 'HTTP ' + r.status);
  return body;
}
function askForToken(reason) {
  $('signin-reason').textContent = reason || 'The admin API needs a credential.';
  $('signin').classList.remove('d-none');
}
$('signin-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('signin-token').value.trim());
  $('signin-token').value = '';
  refreshAll();
});

// ---------- Namespaces ----------
async function loadNamespaces() {
  let data;
  try { data = await api('namespaces'); } catch (e) { return; }
  $('ns-note').textContent = 'budget counters from the ' + data.store + ' store' +
    (data.store === 'redis' ? ' (all replicas)' : '') + ', sampled every ' + (data.sampled_every_ms / 1000) +
    's; activity since this gateway started';
  const cards = $('ns-cards');
  const seen = new Set();
  for (const ns of data.namespaces) {
    seen.add(ns.name);
    // Within the cards only: the audit tail marks its rows with data-namespace too.
    let card = cards.querySelector(':scope > [data-namespace="' + CSS.escape(ns.name) + '"]');
    if (!card) {
      card = el('div', { class: 'col-xxl-4 col-lg-6', 'data-namespace': ns.name });
      cards.append(card);
    }
    renderNamespace(card, ns);
  }
  for (const card of [...cards.children]) {
    if (!seen.has(card.dataset.namespace)) { charts.delete(card.dataset.namespace); card.remove(); }
  }
  if (!data.namespaces.length) cards.replaceChildren(el('p', { class: 'empty', text: 'No namespace is configured or has sent traffic yet.' }));
}

function renderNamespace(card, ns) {
  const statuses = Object.entries(ns.requests.by_status).map(([s, n]) => el('span', { class: 'me-1' }, statusBadge(s), ' ', fmt(n)));
  const body = el('div', { class: 'card-body pt-2' });

  body.append(el('div', { class: 'section-title', text: 'Budgets (current window)' }));
  if (ns.budgets.length) {
    for (const b of ns.budgets) {
      const pct = b.limit > 0 ? Math.min(100, (100 * b.used) / b.limit) : 0;
      const bar = el('div', { class: 'progress-bar ' + (pct >= 100 ? 'bg-danger' : pct >= 80 ? 'bg-warning' : 'bg-primary') });
      bar.style.width = Math.max(pct, b.used > 0 ? 0.5 : 0).toFixed(1) + '%';
      body.append(el('div', { class: 'budget mb-2', 'data-rule': b.rule },
        el('div', { class: 'd-flex align-items-baseline' },
          el('span', { class: 'fw-semibold me-2', text: b.rule }),
          el('span', { class: 'small text-secondary', text: b.limit_by + ' per ' + b.window }),
          el('span', { class: 'ms-auto usage fw-semibold', text: fmt(b.used) + ' / ' + fmt(b.limit) })),
        el('div', { class: 'progress budget-bar my-1', role: 'progressbar' }, bar),
        el('div', { class: 'd-flex small text-secondary' },
          el('span', { text: fmt(b.remaining) + ' ' + b.limit_by + ' left (' + pctText(100 - pct) + ')' }),
          el('span', { class: 'ms-auto', text: 'window resets in ' + until(b.resets_in_ms) }))));
    }
    const chartBox = el('div', { class: 'chart' });
    body.append(chartBox);
    requestAnimationFrame(() => drawChart(ns, chartBox));
  } else {
    body.append(el('p', { class: 'empty mb-1', text: 'No rate_limiting rule counts this namespace.' }));
  }

  const refusals = ns.refusals.map((r) => ({ name: r.kind + ' ' + r.name, value: r.count }));
  body.append(el('div', { class: 'section-title', text: 'Activity' }));
  body.append(el('div', { class: 'row g-2' },
    el('div', { class: 'col-sm-6' }, miniTable('Refusals', refusals, '')),
    el('div', { class: 'col-sm-6' }, miniTable('Top models', ns.models.map((m) => ({ name: m.model, value: m.tokens })), 'tokens')),
    el('div', { class: 'col-sm-6' }, miniTable('Top MCP tools', ns.tools.map((t) => ({ name: t.tool, value: t.calls })), 'calls')),
    el('div', { class: 'col-sm-6' }, miniTable('Top A2A targets', ns.agents.map((a) => ({ name: a.agent, value: a.calls })), 'calls'))));

  card.replaceChildren(el('div', { class: 'card ns-card h-100' },
    el('div', { class: 'card-header' }, el('span', { class: 'ns-name', text: ns.name }),
      el('span', { class: 'small text-secondary', text: fmt(ns.requests.total) + ' requests' }), el('span', { class: 'ms-auto' }, statuses)),
    body));
}

function miniTable(title, rows, unit) {
  const box = el('div', {}, el('div', { class: 'mini-title', text: title }));
  if (!rows.length) { box.append(el('div', { class: 'empty', text: 'none yet' })); return box; }
  box.append(el('table', { class: 'table table-sm mini-table mb-0' }, el('tbody', {},
    rows.map((r) => el('tr', {}, el('td', { class: 'text-truncate', text: r.name }), el('td', { class: 'num', text: fmt(r.value) + (unit ? ' ' + unit : '') }))))));
  return box;
}

// One chart per namespace: each rule's use as a percentage of its limit, so token and request
// budgets share an axis.
const PALETTE = ['#3d6df2', '#e8590c', '#2fb344', '#ae3ec9', '#f59f00', '#0ca678'];
function drawChart(ns, box) {
  const times = new Set();
  for (const b of ns.budgets) for (const [t] of b.history) times.add(t);
  const xs = [...times].sort((a, b) => a - b);
  if (xs.length === 0) { box.replaceChildren(el('div', { class: 'empty', text: 'collecting samples…' })); return; }
  const data = [xs.map((t) => t / 1000)];
  for (const b of ns.budgets) {
    const byTime = new Map(b.history);
    data.push(xs.map((t) => (byTime.has(t) && b.limit > 0 ? (100 * byTime.get(t)) / b.limit : null)));
  }
  const opts = {
    width: Math.max(240, box.clientWidth),
    height: 180,
    scales: { y: { range: (u, min, max) => [0, Math.max(100, max || 0)] } },
    axes: [{ stroke: '#6c757d', grid: { stroke: '#eef1f5' } },
      { stroke: '#6c757d', grid: { stroke: '#eef1f5' }, values: (u, v) => v.map((x) => x + '%'), size: 48 }],
    series: [{}].concat(ns.budgets.map((b, i) => ({
      label: b.rule + ' (' + b.limit_by + ')', stroke: PALETTE[i % PALETTE.length], width: 2, spanGaps: true,
      fill: PALETTE[i % PALETTE.length] + '1a', value: (u, v) => (v == null ? '–' : v.toFixed(1) + '%'),
    }))),
    legend: { live: true },
  };
  const old = charts.get(ns.name);
  if (old) old.destroy();
  box.replaceChildren();
  charts.set(ns.name, new uPlot(opts, data, box));
}

// ---------- Audit ----------
function auditQuery() {
  const q = new URLSearchParams();
  for (const input of $('audit-filters').elements) {
    if (input.name && input.value.trim()) q.set(input.name, input.value.trim());
  }
  return q.toString();
}

async function streamAudit() {
  if (auditAbort) auditAbort.abort();
  const abort = new AbortController();
  auditAbort = abort;
  $('audit-rows').replaceChildren();
  setLive(false, 'connecting…');
  try {
    const r = await fetch(API + 'audit/events?' + auditQuery(), { headers: headers(), signal: abort.signal, cache: 'no-store' });
    if (r.status === 401 || r.status === 403) {
      const body = await r.json().catch(() => ({}));
      askForToken(body.error && body.error.message);
      setLive(false, 'not authorized');
      return;
    }
    setLive(true, 'live');
    const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        onFrame(frame);
      }
    }
    setLive(false, 'disconnected; reconnecting…');
  } catch (e) {
    if (abort.signal.aborted) return;
    setLive(false, 'disconnected; reconnecting…');
  }
  if (!abort.signal.aborted) setTimeout(streamAudit, 3000);
}

// Server-sent events: "event:" and "data:" lines; comments start with ":".
function onFrame(frame) {
  let event = 'message';
  const data = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (event === 'audit' && data.length) addAuditEvent(JSON.parse(data.join('\n')));
  if (event === 'missed' && data.length) setLive(true, 'live (missed ' + data.join('') + ' events: the page could not keep up)');
}

function setLive(on, text) {
  $('audit-live').classList.toggle('on', on);
  $('audit-status').textContent = text;
}

function addAuditEvent(e) {
  const p = e.principal || {};
  const caller = (p.namespace || '—') + (p.service_account ? ' / ' + p.service_account : '');
  const row = el('tr', { class: 'event fresh', 'data-event-id': e.event_id, 'data-status': String(e.status), 'data-namespace': p.namespace || '' },
    el('td', { class: 'text-nowrap', text: new Date(e.timestamp).toLocaleTimeString() }),
    el('td', { text: caller }),
    el('td', { text: e.protocol }),
    el('td', { text: e.action || '' }),
    el('td', { class: 'font-monospace small', text: e.resource || '' }),
    el('td', {}, e.decision ? badge(e.decision) : '', e.policy ? el('span', { class: 'small text-secondary ms-1', text: e.policy }) : ''),
    el('td', { title: e.error || '' }, statusBadge(e.status),
      e.status === 429 ? el('span', { class: 'small text-secondary ms-1', text: budgetRule(e.error) }) : ''),
    el('td', { class: 'text-end', text: e.duration_ms }));
  const detail = el('tr', { class: 'detail d-none' }, el('td', { colspan: '8' }, el('pre', { text: JSON.stringify(e, null, 2) })));
  row.addEventListener('click', () => detail.classList.toggle('d-none'));
  const rows = $('audit-rows');
  rows.prepend(row, detail);
  while (rows.children.length > 400) rows.lastElementChild.remove();
}

// A 429's audit event names the budget rule in its error ("Rate limit exceeded: rule NAME ...").
function budgetRule(error) {
  const m = /rule (\S+)/.exec(error || '');
  return m ? m[1] : 'budget';
}

async function loadChain() {
  let c;
  try { c = await api('audit/chain'); } catch (e) { return; }
  const state = c.intact
    ? el('span', { class: 'badge text-bg-success', text: 'intact' })
    : el('span', { class: 'badge text-bg-danger', text: 'broken' });
  $('chain').replaceChildren(
    el('div', { class: 'mb-2' }, state, el('span', { class: 'ms-2', text: 'last ' + c.checked + ' events re-hashed and linked' })),
    c.problem ? el('div', { class: 'text-danger mb-2', text: 'at ' + c.broken_at + ': ' + c.problem }) : '',
    el('dl', { class: 'mb-0' },
      el('dt', { text: 'Gateway instance' }), el('dd', { text: c.gateway }),
      el('dt', { text: 'Events written' }), el('dd', { text: fmt(c.written) + (c.dropped ? ' (' + fmt(c.dropped) + ' dropped)' : '') }),
      el('dt', { text: 'Chain head (last hash)' }), el('dd', { class: 'hash', text: c.last_hash })),
    el('div', { class: 'text-secondary mt-2', text: 'Verify a whole file with: agentgateway audit verify FILE' }));
}

$('audit-filters').addEventListener('submit', (ev) => { ev.preventDefault(); streamAudit(); });

// ---------- Why? ----------
$('why-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const q = new URLSearchParams(new FormData($('why-form')));
  for (const [k, v] of [...q.entries()]) if (!v.trim()) q.delete(k);
  const out = $('why-result');
  let r;
  try { r = await api('check?' + q.toString()); } catch (e) {
    out.replaceChildren(el('div', { class: 'alert alert-danger', text: e.message }));
    return;
  }
  const allowed = r.decision === 'allow';
  const detail = (label, d) => d && el('tr', {}, el('th', { class: 'fw-normal text-secondary', text: label }),
    el('td', {}, badge(d.decision), ' ', el('span', { class: 'fw-semibold', text: d.name }), d.reason ? el('div', { class: 'small text-secondary', text: d.reason }) : ''));
  out.replaceChildren(el('div', { class: 'card border-' + (allowed ? 'success' : 'danger'), id: 'why-answer' },
    el('div', { class: 'card-body' },
      el('div', { class: 'verdict text-' + (allowed ? 'success' : 'danger'), id: 'why-verdict', text: allowed ? 'ALLOW' : 'DENY' }),
      el('p', { class: 'mb-2' }, el('span', { class: 'font-monospace', text: r.resource }), ' for namespace ',
        el('span', { class: 'fw-semibold', text: r.namespace }), r.service_account ? ', service account ' : '',
        r.service_account ? el('span', { class: 'fw-semibold', text: r.service_account }) : ''),
      el('p', { class: 'mb-2' }, 'Decided by ' + r.decided_by.kind + ' ', el('code', { id: 'why-policy', text: r.decided_by.name })),
      r.refusal ? el('div', { class: 'alert alert-danger py-2', id: 'why-refusal', text: 'A caller gets 403: ' + r.refusal }) : '',
      el('table', { class: 'table table-sm mb-0' }, el('tbody', {}, detail('Resource policies', r.authorization), detail('A2A rules', r.a2a))))));
});

// ---------- Configuration ----------
async function loadConfig() {
  let perms; let matrix; let reloads; let config;
  try {
    [perms, matrix, reloads, config] = await Promise.all([api('permissions'), api('a2a'), api('reloads'), api('config')]);
  } catch (e) { return; }
  renderPermissions(perms);
  renderMatrix(matrix);
  renderReloads(reloads);
  $('running-config').textContent = JSON.stringify(config, null, 2);
}

function renderPermissions(perms) {
  const box = $('permissions');
  const nsList = $('known-namespaces');
  const resList = $('known-resources');
  nsList.replaceChildren(...perms.namespaces.map((n) => el('option', { value: n.namespace })));
  const resources = new Set();
  const blocks = perms.namespaces.map((n) => {
    n.resources.forEach((r) => { if (!r.resource.endsWith('/*')) resources.add(r.resource); });
    const rows = n.resources.map((r) => el('tr', {},
      el('td', { class: 'text-secondary small', text: r.kind }),
      el('td', { class: 'font-monospace small', text: r.resource.endsWith('/*') ? r.resource.slice(0, -1) + '(tools no policy names)' : r.resource }),
      el('td', {}, badge(r.decision)), el('td', { class: 'small', text: r.by })));
    const policies = n.policies.map((p) => el('div', { class: 'policy-line' }, badge(p.action), ' ', el('span', { class: 'fw-semibold', text: p.name }), ': ',
      el('span', { class: 'font-monospace small', text: p.resources.join(', ') }),
      p.service_account ? el('span', { class: 'text-secondary small', text: ' (service account ' + p.service_account + ' only)' }) : '',
      p.when ? el('span', { class: 'text-secondary small', text: ' when ' + p.when }) : ''));
    return el('div', { class: 'mb-3' }, el('h2', { class: 'h6', text: n.namespace }),
      policies.length ? policies : el('div', { class: 'empty', text: 'no policy matches this namespace; default: ' + perms.default_action }),
      el('table', { class: 'table table-sm mt-1 mb-0' }, el('tbody', {}, rows)));
  });
  box.replaceChildren(...blocks);
  resList.replaceChildren(...[...resources].map((r) => el('option', { value: r })));
}

function renderMatrix(m) {
  const box = $('a2a-matrix');
  if (!m.targets.length) { box.replaceChildren(el('p', { class: 'empty mb-0', text: 'No A2A agent or rule is configured.' })); return; }
  const head = el('tr', {}, el('th', { class: 'row-head', text: 'source ↓ / target →' }), m.targets.map((t) => el('th', { text: t })));
  const rows = m.rows.map((r) => el('tr', {}, el('th', { class: 'row-head', text: r.source }),
    r.cells.map((c) => el('td', { title: c.agents.map((a) => a.agent + ': ' + a.decision + ' (' + a.rule + ')').join('\n') },
      badge(c.decision), c.rule ? el('div', { class: 'small text-secondary', text: c.rule }) : ''))));
  box.replaceChildren(el('table', { class: 'table table-sm table-bordered matrix mb-1' }, el('thead', {}, head), el('tbody', {}, rows)),
    el('div', { class: 'small text-secondary', text: m.rules ? m.rules + ' rule(s); hover a cell for each agent' : 'no rules: every call is allowed by default' }));
}

function renderReloads(r) {
  const rows = r.reloads.map((e) => el('tr', {},
    el('td', { class: 'text-nowrap', text: new Date(e.at).toLocaleString() }),
    el('td', {}, el('span', { class: 'badge ' + (e.result === 'refused' || e.result === 'failed' ? 'text-bg-danger' : 'text-bg-success'), text: e.result })),
    el('td', {}, e.errors.map((x) => el('div', { class: 'font-monospace small', text: x })))));
  $('reloads').replaceChildren(el('table', { class: 'table table-sm mb-0' },
    el('thead', {}, el('tr', {}, el('th', { text: 'Time' }), el('th', { text: 'Result' }), el('th', { text: 'Errors' }))), el('tbody', {}, rows)));
}

// ---------- start ----------
async function loadOverview() {
  try {
    const o = await api('overview');
    $('gateway-name').textContent = o.gateway + ' · ' + o.listeners.map((l) => l.name + ':' + l.port).join(' · ');
  } catch (e) { /* shown by the sign-in prompt */ }
}

function refreshAll() {
  loadOverview();
  loadNamespaces();
  loadChain();
  loadConfig();
  streamAudit();
}

document.addEventListener('DOMContentLoaded', () => {
  refreshAll();
  namespacesTimer = setInterval(() => { loadNamespaces(); loadChain(); }, 5000);
  $('tab-config').addEventListener('shown.bs.tab', loadConfig);
  $('tab-namespaces').addEventListener('shown.bs.tab', loadNamespaces);
  window.addEventListener('resize', () => loadNamespaces());
});
