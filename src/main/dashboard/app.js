// The sensorchat dashboard: signs its user in (OpenID Connect, authorization code with PKCE, through
// oidc-client-ts) and shows the fleet, a device's charts, alerts, rules and reports from the API's
// routes for signed-in users (/app/api). The API decides what a role may do; the page only hides
// what the user's role cannot do. Every value from the API is set as text, never as markup.
'use strict';

(() => {
  const view = document.getElementById('view');
  const REFRESH_MS = 15000;
  let users;          // oidc.UserManager
  let me;             // GET /app/api/me
  let refreshTimer;
  const etags = new Map(); // path -> [etag, body]: polls send If-None-Match and redraw only on change

  // ---- DOM helpers ---------------------------------------------------------------------------

  function h(tag, attributes, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
      else if (name === 'dataset') Object.assign(element.dataset, value);
      else element.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  function show(...content) {
    view.replaceChildren(...content);
  }

  function when(iso) {
    if (!iso) return '—';
    const date = new Date(iso);
    return date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
  }

  function number(value) {
    if (value === undefined || value === null) return '—';
    return Math.abs(value) >= 1e6 || (Math.abs(value) < 1e-3 && value !== 0)
      ? value.toExponential(3) : Number(value.toFixed(3)).toString();
  }

  // ---- API -----------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem && problem.detail ? problem.detail : `HTTP ${status}`);
      this.status = status;
      this.problem = problem || {};
    }
  }

  async function token() {
    const user = await users.getUser();
    if (!user || user.expired) {
      await signIn();
      throw new ApiError(401, { detail: 'Signing in again…' });
    }
    return user.access_token;
  }

  /** Calls /app/api{path}; returns the parsed body (null for 204), or throws ApiError with the problem document. */
  async function api(path, { method = 'GET', body, headers = {}, poll = false } = {}) {
    const request = { method, headers: { Accept: 'application/json', Authorization: `Bearer ${await token()}`, ...headers }, cache: 'no-store' };
    if (body !== undefined) {
      request.body = JSON.stringify(body);
      request.headers['Content-Type'] = 'application/json';
    }
    const cached = etags.get(path);
    if (poll && cached) request.headers['If-None-Match'] = cached[0];
    const response = await fetch(`/app/api${path}`, request);
    if (response.status === 304 && cached) return { unchanged: true, body: cached[1] };
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : null;
    if (!response.ok) {
      if (response.status === 401) await signIn();
      throw new ApiError(response.status, parsed);
    }
    if (poll && response.headers.get('ETag')) etags.set(path, [response.headers.get('ETag'), parsed]);
    return poll ? { unchanged: false, body: parsed, etag: response.headers.get('ETag') } : { body: parsed, etag: response.headers.get('ETag') };
  }

  function problemView(error) {
    return h('p', { class: 'notice error', role: 'alert' }, error.message);
  }

  // ---- sign-in -------------------------------------------------------------------------------

  async function signIn() {
    sessionStorage.setItem('sensorchat.returnTo', location.pathname + location.search);
    await users.signinRedirect();
  }

  function renderAccount() {
    const account = document.getElementById('account');
    account.replaceChildren(
      h('span', { id: 'me' }, me.name, ' ', h('span', { class: 'muted', id: 'role' }, `(${me.role || 'no role'})`)),
      h('button', { type: 'button', id: 'sign-out', onclick: async () => { await users.removeUser(); location.assign('/'); } }, 'Sign out'));
    document.getElementById('nav').hidden = false;
    document.getElementById('nav-subscriptions').hidden = !can('admin');
  }

  const can = (role) => me && me.can.includes(role);

  // ---- fleet ---------------------------------------------------------------------------------

  function sparkline(windows) {
    const values = windows.map((w) => w.avg);
    if (values.length < 2) return h('span', { class: 'muted' }, '—');
    const min = Math.min(...values);
    const max = Math.max(...values);
    const points = values.map((v, i) => `${(i / (values.length - 1)) * 100},${max === min ? 10 : 19 - ((v - min) / (max - min)) * 18}`);
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', '0 0 100 20');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `last hour: ${number(values[0])} to ${number(values[values.length - 1])}`);
    const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    line.setAttribute('points', points.join(' '));
    svg.append(line);
    return svg;
  }

  async function fleet() {
    const filters = h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
      h('label', {}, 'Tag', h('input', { id: 'tag-filter', name: 'tag', size: 12 })),
      h('label', {}, 'Status', h('select', { id: 'status-filter', name: 'status' },
        h('option', { value: '' }, 'any'), h('option', { value: 'online' }, 'online'),
        h('option', { value: 'silent' }, 'silent'), h('option', { value: 'offline' }, 'offline'))));
    const table = h('div', { class: 'table-wrap' });
    show(h('h2', {}, 'Fleet'), filters, table);
    const sparks = new Map();
    let last = null;
    // Sparklines are fetched when the list changes, and drawn from what was fetched when a filter changes.
    const draw = (devices, fetchSparks) => {
      const tag = filters.tag.value.trim();
      const status = filters.status.value;
      const rows = devices.filter((d) => (!tag || (d.tags || []).includes(tag)) && (!status || d.status === status)).map((d) => {
        const metric = Object.keys(d.latest || {})[0];
        const spark = h('td', { class: 'wide' });
        if (metric) {
          const key = `${d.id}/${metric}`;
          if (sparks.has(key)) spark.append(sparks.get(key).cloneNode(true));
          if (fetchSparks || !sparks.has(key)) {
            api(`/devices/${encodeURIComponent(d.id)}/metrics/${metric}?resolution=minute`).then(({ body }) => {
              const line = sparkline(body.items);
              sparks.set(key, line);
              spark.replaceChildren(line.cloneNode(true));
            }).catch(() => {});
          }
        }
        return h('tr', { dataset: { device: d.id } },
          h('td', {}, h('a', { href: `/devices/${encodeURIComponent(d.id)}`, 'data-link': true }, d.name || d.id)),
          h('td', { class: `status status-${d.status}` }, d.status),
          h('td', { class: 'wide' }, (d.tags || []).join(', ')),
          h('td', {}, Object.entries(d.latest || {}).map(([m, v]) => `${m} ${number(v.value)}`).join(' · ')),
          h('td', { class: 'wide' }, when(d.lastSeen)),
          spark);
      });
      table.replaceChildren(rows.length === 0 ? h('p', { class: 'muted' }, 'No devices match.') : h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Device'), h('th', {}, 'Status'), h('th', { class: 'wide' }, 'Tags'),
          h('th', {}, 'Last reading'), h('th', { class: 'wide' }, 'Last seen'), h('th', { class: 'wide' }, 'Last hour'))),
        h('tbody', {}, rows)));
    };
    filters.addEventListener('input', () => last && draw(last, false));
    const load = async () => {
      const result = await api('/devices?limit=200', { poll: true });
      if (!result.unchanged || !last) {
        last = result.body.items;
        draw(last, true);
      }
    };
    await load();
    refreshTimer = setInterval(() => load().catch(() => {}), REFRESH_MS);
  }

  // ---- device --------------------------------------------------------------------------------

  const RANGES = { '1h': [3600e3, 'minute'], '6h': [6 * 3600e3, 'minute'], '24h': [24 * 3600e3, 'minute'], '7d': [7 * 24 * 3600e3, 'hour'] };

  async function device(id) {
    const { body: d } = await api(`/devices/${encodeURIComponent(id)}`);
    const metrics = Object.keys(d.latest || {});
    const controls = h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() },
      h('label', {}, 'Metric', h('select', { name: 'metric', id: 'metric' }, metrics.map((m) => h('option', { value: m }, m)))),
      h('label', {}, 'Range', h('select', { name: 'range', id: 'range' }, Object.keys(RANGES).map((r) => h('option', { value: r }, r)))));
    const chart = h('div', { class: 'chart', id: 'chart' });
    const table = h('div', { class: 'table-wrap', id: 'windows' });
    const rules = h('section', { id: 'device-rules' });
    show(h('h2', {}, d.name || d.id), h('p', {}, h('span', { class: `status status-${d.status}` }, d.status), ' · ',
      (d.tags || []).join(', ') || 'no tags', ' · last seen ', when(d.lastSeen)), controls, chart, table, rules);
    const draw = async () => {
      const [span, resolution] = RANGES[controls.range.value];
      const to = new Date();
      const from = new Date(to.getTime() - span);
      const metric = controls.metric.value;
      if (!metric) {
        chart.replaceChildren(h('p', { class: 'muted' }, 'No readings yet.'));
        return;
      }
      const query = `resolution=${resolution}&from=${from.toISOString()}&to=${to.toISOString()}`;
      const [{ body: windows }, { body: alerts }] = await Promise.all([
        api(`/devices/${encodeURIComponent(id)}/metrics/${metric}?${query}`),
        api(`/alerts?deviceId=${encodeURIComponent(id)}&limit=100`)]);
      const items = windows.items;
      const marks = alerts.items.filter((a) => a.metric === metric || a.ruleId === 'offline')
        .map((a) => Date.parse(a.openedAt) / 1000).filter((t) => t >= from.getTime() / 1000);
      const x = items.map((w) => Date.parse(w.start) / 1000);
      chart.replaceChildren();
      if (items.length > 0) {
        new uPlot({
          width: Math.min(view.clientWidth || 800, 1100), height: 280, title: `${metric} (${resolution} windows)`,
          series: [{}, { label: 'min', stroke: '#6a9fd8' }, { label: 'avg', stroke: '#1f5fa8', width: 2 }, { label: 'max', stroke: '#6a9fd8' },
            { label: 'count', scale: 'count', stroke: '#999', dash: [2, 3] }],
          axes: [{}, {}, { scale: 'count', side: 1, grid: { show: false } }],
          bands: [{ series: [3, 1], fill: 'rgba(106,159,216,0.2)' }],
          hooks: { draw: [(u) => {
            const { ctx } = u;
            ctx.save();
            ctx.strokeStyle = '#b00020';
            ctx.setLineDash([4, 3]);
            for (const t of marks) {
              const px = u.valToPos(t, 'x', true);
              ctx.beginPath();
              ctx.moveTo(px, u.bbox.top);
              ctx.lineTo(px, u.bbox.top + u.bbox.height);
              ctx.stroke();
            }
            ctx.restore();
          }] },
        }, [x, items.map((w) => w.min), items.map((w) => w.avg), items.map((w) => w.max), items.map((w) => w.count)], chart);
      } else {
        chart.append(h('p', { class: 'muted' }, 'No windows in this range.'));
      }
      chart.append(h('p', { class: 'muted' }, `${marks.length} alert${marks.length === 1 ? '' : 's'} opened in this range (dashed lines).`));
      table.replaceChildren(h('table', { 'aria-label': `${metric} windows` },
        h('thead', {}, h('tr', {}, h('th', {}, 'Window'), h('th', {}, 'Count'), h('th', {}, 'Min'), h('th', {}, 'Avg'), h('th', {}, 'Max'))),
        h('tbody', {}, items.slice(-20).reverse().map((w) => h('tr', { dataset: { start: w.start } },
          h('td', {}, when(w.start)), h('td', {}, w.count), h('td', {}, number(w.min)),
          h('td', { class: 'avg' }, number(w.avg)), h('td', {}, number(w.max)))))));
    };
    controls.addEventListener('change', () => draw().catch((e) => chart.replaceChildren(problemView(e))));
    await draw();
    const { body: all } = await api('/rules?limit=200');
    const applies = (rule) => rule.scope.kind === 'all' || (rule.scope.kind === 'device' && rule.scope.value === id)
      || (rule.scope.kind === 'tag' && (d.tags || []).includes(rule.scope.value));
    const mine = all.items.filter(applies);
    rules.replaceChildren(h('h3', {}, 'Rules for this device'), mine.length === 0 ? h('p', { class: 'muted' }, 'None.')
      : h('ul', {}, mine.map((r) => h('li', {}, `${r.name}: ${r.metric} ${r.operator} ${number(r.threshold)} (${r.severity})`))));
  }

  // ---- alerts --------------------------------------------------------------------------------

  async function alerts() {
    const list = h('div', { class: 'table-wrap' });
    const message = h('div', { id: 'alert-message' });
    show(h('h2', {}, 'Alerts'), message, list);
    const act = async (alert, action) => {
      const note = prompt(action === 'ack' ? 'Note for the acknowledgement (optional)' : 'Note for the resolution (optional)') || undefined;
      try {
        await api(`/alerts/${alert.id}/${action}`, { method: 'POST', body: note ? { note } : {} });
        message.replaceChildren(h('p', { class: 'notice', role: 'status' }, `${alert.id} ${action === 'ack' ? 'acknowledged' : 'resolved'}.`));
        await load(true);
      } catch (error) {
        message.replaceChildren(problemView(error));
      }
    };
    const load = async (force) => {
      const result = await api('/alerts?limit=100', { poll: !force });
      if (result.unchanged) return;
      const rows = result.body.items.map((a) => {
        const last = a.transitions[a.transitions.length - 1];
        return h('tr', { dataset: { alert: a.id, state: a.state } },
          h('td', {}, h('a', { href: `/devices/${encodeURIComponent(a.deviceId)}`, 'data-link': true }, a.deviceId)),
          h('td', {}, a.ruleName || a.ruleId),
          h('td', { class: `severity-${a.severity}` }, a.severity),
          h('td', { class: 'state' }, a.state),
          h('td', { class: 'wide' }, when(a.openedAt)),
          h('td', { class: 'wide by' }, last ? `${last.by} at ${when(last.at)}${last.note ? ` (“${last.note}”)` : ''}` : ''),
          h('td', {}, can('operator') && a.state === 'open' ? h('button', { type: 'button', class: 'ack', onclick: () => act(a, 'ack') }, 'Acknowledge') : '',
            can('operator') && a.state !== 'resolved' ? h('button', { type: 'button', class: 'resolve', onclick: () => act(a, 'resolve') }, 'Resolve') : ''));
      });
      list.replaceChildren(rows.length === 0 ? h('p', { class: 'muted' }, 'No alerts.') : h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Device'), h('th', {}, 'Rule'), h('th', {}, 'Severity'), h('th', {}, 'State'),
          h('th', { class: 'wide' }, 'Opened'), h('th', { class: 'wide' }, 'Last change'), h('th', {}, ''))),
        h('tbody', {}, rows)));
    };
    await load(false);
    refreshTimer = setInterval(() => load(false).catch(() => {}), REFRESH_MS);
  }

  // ---- rules ---------------------------------------------------------------------------------

  const OPERATORS = ['>', '>=', '<', '<=', '==', '!='];
  const SEVERITIES = ['info', 'warning', 'critical'];

  function ruleForm(rule, etag, done) {
    const field = (name, label, input) => h('label', {}, label, input, h('span', { class: 'error', id: `error-${name}`, 'aria-live': 'polite' }));
    const form = h('form', { class: 'rule', id: 'rule-form', novalidate: true },
      field('id', 'Id', h('input', { name: 'id', value: rule ? rule.id : '', disabled: !!rule, 'aria-describedby': 'error-id' })),
      field('name', 'Name', h('input', { name: 'name', value: rule ? rule.name : '', required: true, 'aria-describedby': 'error-name' })),
      field('scope', 'Applies to', h('select', { name: 'scopeKind' }, ['all', 'device', 'tag'].map((k) => h('option', { value: k, selected: rule && rule.scope.kind === k }, k)))),
      field('scope.value', 'Device or tag', h('input', { name: 'scopeValue', value: rule && rule.scope.value ? rule.scope.value : '', 'aria-describedby': 'error-scope.value' })),
      field('metric', 'Metric', h('input', { name: 'metric', value: rule ? rule.metric : '', 'aria-describedby': 'error-metric' })),
      field('operator', 'Operator', h('select', { name: 'operator' }, OPERATORS.map((o) => h('option', { value: o, selected: rule && rule.operator === o }, o)))),
      field('threshold', 'Threshold', h('input', { name: 'threshold', value: rule ? rule.threshold : '', inputmode: 'decimal', 'aria-describedby': 'error-threshold' })),
      field('severity', 'Severity', h('select', { name: 'severity' }, SEVERITIES.map((s) => h('option', { value: s, selected: rule ? rule.severity === s : s === 'warning' }, s)))),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, rule ? 'Save' : 'Create'), h('button', { type: 'button', onclick: () => done(false) }, 'Cancel'),
        h('span', { class: 'error', id: 'error-form', role: 'alert' })));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      form.querySelectorAll('.error').forEach((e) => { e.textContent = ''; });
      const threshold = form.threshold.value.trim();
      const body = {
        name: form.name.value, metric: form.metric.value, operator: form.operator.value, severity: form.severity.value,
        threshold: threshold === '' || Number.isNaN(Number(threshold)) ? threshold : Number(threshold),
        scope: form.scopeKind.value === 'all' ? { kind: 'all' } : { kind: form.scopeKind.value, value: form.scopeValue.value },
      };
      if (!rule && form.id.value.trim()) body.id = form.id.value.trim();
      try {
        if (rule) await api(`/rules/${encodeURIComponent(rule.id)}`, { method: 'PUT', body, headers: { 'If-Match': etag } });
        else await api('/rules', { method: 'POST', body });
        done(true);
      } catch (error) {
        const errors = (error.problem && error.problem.errors) || [];
        let placed = false;
        for (const { field: name, message } of errors) {
          const slot = document.getElementById(`error-${name}`) || document.getElementById(`error-${name.split('.')[0]}`);
          if (slot) {
            slot.textContent = message;
            placed = true;
          }
        }
        if (!placed || error.status === 412) {
          document.getElementById('error-form').textContent = error.status === 412
            ? 'Someone changed this rule since you opened it; reload and edit again.' : error.message;
        }
      }
    });
    return form;
  }

  async function rules() {
    const editor = h('div', {});
    const list = h('div', { class: 'table-wrap' });
    const load = async () => {
      const { body } = await api('/rules?limit=200');
      list.replaceChildren(body.items.length === 0 ? h('p', { class: 'muted' }, 'No rules.') : h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Rule'), h('th', {}, 'Condition'), h('th', { class: 'wide' }, 'Applies to'), h('th', {}, 'Severity'), h('th', {}, ''))),
        h('tbody', {}, body.items.map((r) => h('tr', { dataset: { rule: r.id } },
          h('td', {}, r.name, h('div', { class: 'muted' }, r.id)),
          h('td', {}, `${r.metric} ${r.operator} ${number(r.threshold)}`),
          h('td', { class: 'wide' }, r.scope.kind === 'all' ? 'every device' : `${r.scope.kind} ${r.scope.value}`),
          h('td', { class: `severity-${r.severity}` }, r.severity),
          h('td', {}, can('operator') ? [
            h('button', { type: 'button', class: 'edit', onclick: () => edit(r.id) }, 'Edit'),
            h('button', { type: 'button', class: 'delete', onclick: () => remove(r.id) }, 'Delete')] : ''))))));
    };
    const close = async (changed) => {
      editor.replaceChildren();
      if (changed) await load();
    };
    const edit = async (id) => {
      const { body, etag } = await api(`/rules/${encodeURIComponent(id)}`);
      editor.replaceChildren(h('h3', {}, `Edit ${id}`), ruleForm(body, etag, close));
    };
    const remove = async (id) => {
      if (!confirm(`Delete the rule ${id}?`)) return;
      await api(`/rules/${encodeURIComponent(id)}`, { method: 'DELETE' });
      await load();
    };
    show(h('h2', {}, 'Rules'), can('operator')
      ? h('button', { type: 'button', id: 'new-rule', onclick: () => editor.replaceChildren(h('h3', {}, 'New rule'), ruleForm(null, null, close)) }, 'New rule')
      : h('p', { class: 'muted' }, 'Your role can read rules; operators change them.'), editor, list);
    await load();
  }

  // ---- reports -------------------------------------------------------------------------------

  async function reports() {
    const frame = h('div', {});
    const { body } = await api('/reports/daily?limit=30');
    const open = async (date) => {
      const response = await fetch(`/app/api/reports/daily/${date}?format=html`, { headers: { Authorization: `Bearer ${await token()}` } });
      if (!response.ok) {
        frame.replaceChildren(problemView(new ApiError(response.status, await response.json().catch(() => null))));
        return;
      }
      // The report is HTML that runs no script; shown from a blob, in a sandbox that allows none.
      const url = URL.createObjectURL(await response.blob());
      frame.replaceChildren(h('iframe', { class: 'report', title: `Report of ${date}`, sandbox: '', src: url }));
    };
    show(h('h2', {}, 'Daily reports'), body.items.length === 0 ? h('p', { class: 'muted' }, 'No report yet: the first is written after the first full day.')
      : h('ul', {}, body.items.map((r) => {
        const day = r.from.slice(0, 10); // a daily report covers one UTC day, from its start
        return h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => open(day) }, day));
      })), frame);
  }

  // ---- subscriptions (admins) ----------------------------------------------------------------

  async function subscriptions() {
    const list = h('div', { class: 'table-wrap' });
    const message = h('div', {});
    const load = async () => {
      const { body } = await api('/subscriptions');
      list.replaceChildren(body.items.length === 0 ? h('p', { class: 'muted' }, 'No conversation is subscribed to alerts.') : h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, 'Channel'), h('th', {}, 'Conversation'), h('th', {}, 'Told about'), h('th', { class: 'wide' }, 'Last active'), h('th', {}, ''))),
        h('tbody', {}, body.items.map((c) => h('tr', { dataset: { conversation: c.id } },
          h('td', {}, c.channel), h('td', {}, c.conversationId),
          h('td', {}, c.subscriptions.map((s) => `${s.scope.kind === 'all' ? 'every device' : `${s.scope.kind} ${s.scope.value}`}, ${s.minSeverity} and above`).join('; ')),
          h('td', { class: 'wide' }, when(c.updatedAt)),
          h('td', {}, h('button', { type: 'button', class: 'end', onclick: () => end(c) }, 'End')))))));
    };
    const end = async (c) => {
      if (!confirm(`Stop alert notifications to ${c.channel} ${c.conversationId}?`)) return;
      try {
        await api(`/subscriptions/${encodeURIComponent(c.id)}`, { method: 'DELETE' });
        message.replaceChildren(h('p', { class: 'notice', role: 'status' }, `${c.conversationId} is no longer told about alerts.`));
        await load();
      } catch (error) {
        message.replaceChildren(problemView(error));
      }
    };
    show(h('h2', {}, 'Subscriptions'), h('p', { class: 'muted' }, 'Conversations subscribe themselves in chat; here an admin sees them all and ends them.'),
      message, list);
    await load();
  }

  // ---- chat ----------------------------------------------------------------------------------

  // The bot, as the signed-in user: /api/chat/web takes the same token as the API, and the bot
  // applies the same role. Markdown replies are shown as plain text; choices become buttons.
  const transcript = [];

  async function chat() {
    const log = h('ol', { class: 'chat', id: 'chat-log', 'aria-live': 'polite' });
    const input = h('input', { name: 'text', id: 'chat-input', 'aria-label': 'Message to the bot', autocomplete: 'off', size: 40, maxlength: 4000 });
    const form = h('form', { class: 'row', id: 'chat-form' }, input, h('button', { type: 'submit' }, 'Send'));
    const draw = () => log.replaceChildren(...transcript.map((entry) => h('li', { class: `chat-${entry.from}` },
      h('strong', {}, entry.from === 'you' ? 'You' : 'sensorchat'), ': ', h('span', { class: 'chat-text' }, entry.text),
      entry.choices && entry.choices.length ? h('div', { class: 'row' }, entry.choices.map((c) =>
        h('button', { type: 'button', class: 'choice', onclick: () => send(c.command) }, c.label))) : '')));
    const send = async (text) => {
      transcript.push({ from: 'you', text });
      draw();
      try {
        const response = await fetch('/api/chat/web', {
          method: 'POST', cache: 'no-store',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await token()}` },
          body: JSON.stringify({ messageId: crypto.randomUUID(), text }),
        });
        const body = await response.json();
        transcript.push(response.ok ? { from: 'bot', text: body.text, choices: body.choices } : { from: 'bot', text: body.detail || `HTTP ${response.status}` });
      } catch (error) {
        transcript.push({ from: 'bot', text: `Not sent: ${error.message}` });
      }
      draw();
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (text) {
        input.value = '';
        send(text);
      }
    });
    show(h('h2', {}, 'Chat'), h('p', { class: 'muted' }, 'Ask about devices, readings and alerts: try "devices", "status <device>", "alerts", "help".'),
      log, form);
    draw();
    input.focus();
  }

  // ---- routing -------------------------------------------------------------------------------

  // After a navigation in the page, focus moves to the new view, as a page load would move it to
  // the top; on the first load it stays at the top, so the first Tab reaches the skip link.
  async function route({ moveFocus = true } = {}) {
    clearInterval(refreshTimer);
    const path = location.pathname;
    document.querySelectorAll('#nav a').forEach((a) => {
      const here = a.getAttribute('href') === path || (a.getAttribute('href') === '/' && path.startsWith('/devices/'));
      if (here) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
    show(h('p', { class: 'muted' }, 'Loading…'));
    try {
      if (path === '/' || path === '') await fleet();
      else if (path.startsWith('/devices/')) await device(decodeURIComponent(path.slice('/devices/'.length)));
      else if (path === '/alerts') await alerts();
      else if (path === '/rules') await rules();
      else if (path === '/reports') await reports();
      else if (path === '/chat') await chat();
      else if (path === '/subscriptions' && can('admin')) await subscriptions();
      else show(h('h2', {}, 'Not found'), h('p', {}, h('a', { href: '/', 'data-link': true }, 'Back to the fleet')));
    } catch (error) {
      show(problemView(error));
    }
    if (moveFocus) view.focus({ preventScroll: true });
  }

  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="/"]');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || link.target) return;
    event.preventDefault();
    history.pushState({}, '', link.getAttribute('href'));
    route();
  });
  window.addEventListener('popstate', () => route());

  async function health() {
    const status = document.getElementById('health');
    try {
      const response = await fetch('/api/health', { headers: { Accept: 'application/json' } });
      status.dataset.state = response.ok ? 'up' : 'down';
      status.textContent = response.ok ? '' : `The backend is degraded (HTTP ${response.status}); what you see may be stale.`;
    } catch (error) {
      status.dataset.state = 'down';
      status.textContent = 'The backend cannot be reached.';
    }
  }

  async function start() {
    health();
    const config = await (await fetch('/app/config.json')).json();
    if (!config.signIn) {
      show(h('p', { class: 'notice' }, 'Sign-in is not set up on this app (AUTH_ISSUER, AUTH_AUDIENCE and AUTH_CLIENT_ID).'));
      return;
    }
    users = new oidc.UserManager({
      authority: config.issuer,
      client_id: config.clientId,
      redirect_uri: `${location.origin}/`,
      post_logout_redirect_uri: `${location.origin}/`,
      response_type: 'code',
      // The code comes back in the fragment, which browsers never send: it stays out of request logs.
      response_mode: 'fragment',
      scope: config.scope,
      loadUserInfo: false,
      userStore: new oidc.WebStorageStateStore({ store: window.sessionStorage }),
    });
    const callback = new URLSearchParams(location.hash.slice(1));
    if (callback.has('code') && callback.has('state')) {
      await users.signinRedirectCallback();
      history.replaceState({}, '', sessionStorage.getItem('sensorchat.returnTo') || '/');
    }
    const user = await users.getUser();
    if (!user || user.expired) {
      show(h('h2', {}, 'Sign in'), h('p', {}, 'sensorchat shows your fleet, its alerts and rules to signed-in users.'),
        h('button', { type: 'button', id: 'sign-in', onclick: signIn }, 'Sign in'));
      return;
    }
    ({ body: me } = await api('/me'));
    renderAccount();
    await route({ moveFocus: false });
  }

  start().catch((error) => show(problemView(error)));
})();
