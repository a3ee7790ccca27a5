/**
 * The console's single page: plain HTML, CSS and a small script, no framework and nothing loaded from elsewhere.
 * Data is inserted with `textContent` only, so nothing from the store is ever parsed as HTML.
 */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ml-connector console</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px system-ui,sans-serif;margin:0;color:#1b1f24;background:#fafbfc}
header{background:#24292f;color:#fff;padding:10px 20px;display:flex;gap:24px;align-items:center}
header h1{font-size:16px;margin:0}
nav button{background:none;border:0;color:#c9d1d9;font:inherit;padding:6px 10px;cursor:pointer;border-radius:6px}
nav button[aria-selected=true]{background:#57606a;color:#fff}
main{padding:20px}
table{border-collapse:collapse;width:100%;background:#fff}
td,th{border-bottom:1px solid #d8dee4;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f2f4f6;font-weight:600}
.status-completed{color:#1a7f37}.status-failed,.status-aborted{color:#cf222e}
.empty{color:#57606a;padding:12px 0}
form{margin-bottom:12px;display:flex;gap:8px}
input{font:inherit;padding:6px 8px;border:1px solid #d0d7de;border-radius:6px;width:320px}
button.action{font:inherit;padding:5px 10px;border:1px solid #d0d7de;border-radius:6px;background:#f6f8fa;cursor:pointer}
#message{margin:0 0 12px;min-height:1.2em}
</style></head>
<body>
<header><h1>ml-connector console</h1>
<nav role="tablist">
<button role="tab" data-view="runs">Runs</button><button role="tab" data-view="records">Records</button>
<button role="tab" data-view="review">Review queue</button><button role="tab" data-view="throttle">Throttle</button>
</nav></header>
<main><p id="message" role="status"></p><section id="view"></section></main>
<script>
(() => {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) sessionStorage.setItem('mlc-token', fromUrl);
  const token = sessionStorage.getItem('mlc-token') || '';
  const view = document.getElementById('view');
  const message = document.getElementById('message');
  const api = async (path, init = {}) => {
    const response = await fetch(path, { ...init, headers: { 'x-console-token': token, 'content-type': 'application/json' } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
    return body;
  };
  const el = (tag, text, attrs = {}) => {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  };
  const table = (head, rows, id) => {
    if (rows.length === 0) return el('p', 'Nothing here.', { class: 'empty' });
    const t = el('table', null, id ? { id } : {});
    const tr = el('tr');
    for (const h of head) tr.append(el('th', h));
    t.append(tr);
    for (const row of rows) {
      const r = el('tr');
      for (const cell of row) {
        const td = el('td');
        if (cell instanceof Node) td.append(cell); else td.textContent = cell === undefined || cell === null ? '' : String(cell);
        r.append(td);
      }
      t.append(r);
    }
    return t;
  };
  const say = (text) => { message.textContent = text; };
  const views = {
    async runs() {
      const runs = await api('/api/runs');
      return [el('h2', 'Runs'), table(['run', 'flow', 'status', 'started', 'finished', 'read', 'created', 'updated', 'skipped', 'review', 'failed'],
        runs.map((r) => [r.id.slice(0, 8), r.flow, Object.assign(el('span', r.status), { className: 'status-' + r.status }), r.startedAt, r.finishedAt,
          r.counts.read, r.counts.created, r.counts.updated, r.counts.skipped, r.counts.review, r.counts.failed]), 'runs-table')];
    },
    async records(query) {
      const form = el('form', null, { role: 'search' });
      const input = el('input', null, { name: 'id', placeholder: 'Invoice, PO or vendor number, or record id', 'aria-label': 'business id' });
      input.value = query || '';
      form.append(input, el('button', 'Search', { class: 'action', type: 'submit' }));
      form.addEventListener('submit', (event) => { event.preventDefault(); show('records', input.value.trim()); });
      const parts = [el('h2', 'Records'), form];
      if (query) {
        const events = await api('/api/audit?id=' + encodeURIComponent(query));
        parts.push(el('h3', 'Audit trail of ' + query), table(['seq', 'at', 'flow', 'record', 'step', 'target id', 'request id', 'code', 'detail'],
          events.map((e) => [e.seq, e.at, e.flow, e.sourceId, e.step, e.targetId, e.requestId, e.code, e.detail]), 'audit-table'));
      }
      return parts;
    },
    async review() {
      const items = await api('/api/review');
      return [el('h2', 'Review queue'), table(['flow', 'record', 'business ids', 'state', 'reason', 'attempts', 'detail', ''],
        items.map((i) => {
          const button = el('button', 'Replay', { class: 'action', 'data-record': i.sourceId });
          button.addEventListener('click', async () => {
            if (!confirm('Replay ' + i.flow + '/' + i.sourceId + '? It writes to the target system.')) return say('Replay cancelled.');
            button.disabled = true;
            try {
              const s = await api('/api/replay', { method: 'POST', body: JSON.stringify({ flow: i.flow, sourceId: i.sourceId, confirm: true }) });
              say('Replay ' + s.status + ': ' + s.counts.created + ' created, ' + s.counts.updated + ' updated, ' + s.counts.review + ' back to review, ' + s.counts.failed + ' failed.');
              await show('review');
            } catch (error) { say('Replay failed: ' + error.message); button.disabled = false; }
          });
          return [i.flow, i.sourceId, i.businessIds.join(', '), i.state, i.reason, i.attempts, i.detail, button];
        }), 'review-table')];
    },
    async throttle() {
      const t = await api('/api/throttle');
      return [el('h2', 'Throttle state per tenant'),
        t.live.length ? table(['tenant', 'concurrency', 'in flight', 'queued', 'requests/s', 'paused until'],
          t.live.map((s) => [s.key, s.concurrency, s.inFlight, s.queued, s.requestsPerSecond ?? 'unlimited', s.pausedUntil ? new Date(s.pausedUntil).toISOString() : '']), 'throttle-live')
          : el('p', 'No live throttle in this process: figures recorded by the last run of each flow follow.', { class: 'empty' }),
        table(['flow', 'last run', 'finished', 'figures'], t.recorded.map((r) => [r.flow, r.runId.slice(0, 8), r.finishedAt,
          Object.entries(r.stats).map(([k, v]) => k + ' ' + v).join(', ')]), 'throttle-recorded')];
    },
  };
  async function show(name, query) {
    for (const b of document.querySelectorAll('nav button')) b.setAttribute('aria-selected', String(b.dataset.view === name));
    try {
      const parts = await views[name](query);
      view.replaceChildren(...parts);
      view.dataset.view = name;
    } catch (error) { say(error.message); }
  }
  for (const b of document.querySelectorAll('nav button')) b.addEventListener('click', () => { say(''); show(b.dataset.view); });
  show('runs');
})();
</script></body></html>
`;
