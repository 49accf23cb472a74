// The tables. Rows are kept by key and only changed cells are rewritten, so
// that a checkbox, a button under the mouse or a test's element handle
// survives the updates that arrive every second.

// columns: [{ html(item) -> string }]; rows get data-<key_attr>="<key>".
function sync_table(table, items, key_of, key_attr, columns) {
  const body = table.tBodies[0];
  const rows = new Map();
  for (const tr of body.rows) rows.set(tr.dataset[key_attr], tr);
  let previous = null;
  for (const item of items) {
    const key = key_of(item);
    let tr = rows.get(key);
    if (tr) {
      rows.delete(key);
    } else {
      tr = document.createElement('tr');
      tr.dataset[key_attr] = key;
      for (let i = 0; i < columns.length; i += 1) tr.insertCell();
    }
    columns.forEach((column, i) => {
      const html = column.html(item);
      const td = tr.cells[i];
      if (td.dataset.html !== html) {
        td.innerHTML = html;
        td.dataset.html = html;
      }
      if (column.css) td.className = column.css;
    });
    // Keep the order; moving a node keeps it (and its handles) alive.
    const wanted = previous ? previous.nextSibling : body.firstChild;
    if (wanted !== tr) body.insertBefore(tr, wanted);
    previous = tr;
  }
  for (const tr of rows.values()) tr.remove();
}

function by_name(a, b) {
  return String(a).localeCompare(String(b));
}

function instance_fields(r) {
  return [r.service, r.host, r.region, r.version, release(r)];
}

const instance_columns = [
  { html: (r) => `<input type="checkbox" class="select-instance" data-id="${esc(r.id)}"` +
      `${state.selection.has(r.id) ? ' checked' : ''}>` },
  { html: (r) => `<span class="service">${esc(r.service)}</span>`, css: 'service' },
  { html: (r) => esc(r.version || '-'), css: 'version' },
  { html: (r) => `${esc(r.host)}${r.pid ? ' / ' + esc(r.pid) : ''}` +
      `<div class="sub" title="${esc(r.id)}">${esc(r.endpoint || r.broker || r.id)}</div>` },
  { html: (r) => state_badges(r), css: 'state' },
  { html: (r) => num(stat(r, 'clients')) },
  { html: (r) => since(r.started_at) },
  { html: (r) => num(stat(r, 'requests')), css: 'requests' },
  { html: (r) => us(stat(r, 'latency_avg_us')) },
  { html: (r) => us(stat(r, 'latency_p99_us')) },
  { html: (r) => ago(stat(r, 'last_request_at')) },
  { html: (r) => r.managed_by ? num(r.restarts ?? 0) : '-' },
  { html: (r) => esc(stat(r, 'last_error') || ''), css: 'error' },
  { html: (r) => ['unregister', 'register', 'restart', 'stop'].map((a) =>
      `<button type="button" class="action" data-action="${a}" data-id="${esc(r.id)}"` +
      ` title="${a} ${esc(r.id)}">${a}</button>`).join('') },
];

function render_instances(terms) {
  const workers = instances_of_kind('worker')
    .filter((r) => matches(terms, instance_fields(r)))
    .sort((a, b) => by_name(release(a), release(b)) || by_name(a.host, b.host) || by_name(a.id, b.id));
  sync_table($('#instances-table'), workers, (r) => r.id, 'instanceId', instance_columns);
  const all = instances_of_kind('worker').length;
  $('#instances-summary').textContent = workers.length === all ? `${all}` : `${workers.length} of ${all}`;
  $('#selection-count').textContent = `${state.selection.size} selected`;
}

const service_columns = [
  { html: (s) => `<b>${esc(s.service)}</b>`, css: 'service' },
  { html: (s) => esc((s.versions || []).join(', ')) },
  { html: (s) => `${num(s.registered)} / ${num(s.instances)}` },
  { html: (s) => num(s.rps_1s, 1), css: 'rps' },
  { html: (s) => num(s.rps_60s, 1) },
  { html: (s) => percent(s.error_rate) },
  { html: (s) => ms(s.p50_ms) },
  { html: (s) => ms(s.p95_ms) },
  { html: (s) => ms(s.p99_ms) },
  { html: (s) => num(s.queued) },
  { html: (s) => `${num(s.idle)} / ${num(s.busy)}` },
  { html: (s) => {
    const history = s.history || [];
    return `<span title="requests per second">${sparkline(history.map((h) => h.rps))}</span>` +
      `<span title="p99 ms">${sparkline(history.map((h) => h.p99_ms), 120, 24, 'spark spark-p99')}</span>`;
  } },
];

function render_services(terms) {
  const services = state.services
    .filter((s) => matches(terms, [s.service, ...(s.versions || []),
      ...(s.versions || []).map((v) => `${s.service}@${v}`), ...service_places(s.service)]))
    .sort((a, b) => by_name(a.service, b.service));
  sync_table($('#services-table'), services, (s) => s.service, 'service', service_columns);
}

// The hosts and regions a service runs in, so that a search by host or
// region keeps its services.
function service_places(service) {
  const places = new Set();
  for (const r of state.instances.values()) {
    if (r.service === service) { places.add(r.host); places.add(r.region); }
  }
  return [...places];
}

function host_rows() {
  const hosts = new Map();
  for (const r of state.instances.values()) {
    if (!r.host) continue;
    const h = hosts.get(r.host) || { host: r.host, region: r.region, daemon: null, count: 0 };
    if (r.kind === 'daemon') h.daemon = r; else h.count += 1;
    hosts.set(r.host, h);
  }
  return [...hosts.values()];
}

const host_columns = [
  { html: (h) => `<b>${esc(h.host)}</b>` },
  { html: (h) => esc(h.region) },
  { html: (h) => h.daemon ? badge('skyd up', 'registered') : badge('no skyd', 'unmanaged') },
  { html: (h) => h.daemon ? num(h.daemon.host_figures?.cpu_percent) + '%' : '-' },
  { html: (h) => {
    const f = h.daemon?.host_figures;
    return f ? `${bytes(f.memory_total - f.memory_available)} / ${bytes(f.memory_total)}` : '-';
  } },
  { html: (h) => {
    const f = h.daemon?.host_figures;
    return f ? [f.load1, f.load5, f.load15].map((l) => num(l / 100, 2)).join(' ') : '-';
  } },
  { html: (h) => h.daemon ? duration(h.daemon.host_figures?.uptime_s) : '-' },
  { html: (h) => num(h.count) },
];

function render_hosts(terms) {
  const hosts = host_rows()
    .filter((h) => matches(terms, [h.host, h.region, ...host_services(h.host)]))
    .sort((a, b) => by_name(a.region, b.region) || by_name(a.host, b.host));
  sync_table($('#hosts-table'), hosts, (h) => h.host, 'host', host_columns);
}

function host_services(host) {
  return [...state.instances.values()].filter((r) => r.host === host)
    .flatMap((r) => [r.service, r.version, release(r)]);
}

// A broker's figures: its registry record, with what the snapshot's
// brokers list says of it (clients, workers) when it has it.
function broker_rows() {
  const rows = new Map();
  for (const r of instances_of_kind('broker')) rows.set(r.id, { ...r });
  for (const [id, b] of state.brokers) {
    const match = rows.get(id) || [...rows.values()].find((r) => r.endpoint && r.endpoint === b.endpoint);
    if (match) Object.assign(match, { figures: b }); else rows.set(id, { id, ...b, figures: b });
  }
  return [...rows.values()];
}

// The workers whose record names this broker's endpoint.
function workers_on(endpoint) {
  if (!endpoint) return undefined;
  return instances_of_kind('worker').filter((r) => String(r.broker || '').split(',')
    .some((e) => e.trim() === endpoint)).length;
}

function broker_figure(b, name) {
  const f = b.figures || {};
  return f[name] ?? f.stats?.[name] ?? b.stats?.[name] ?? b[name];
}

const broker_columns = [
  { html: (b) => `<span title="${esc(b.id)}">${esc(b.id)}</span>` },
  { html: (b) => `${esc(b.host)} <span class="sub">${esc(b.region)}</span>` +
    `<div class="sub">${esc(b.endpoint)}</div>` },
  { html: (b) => num(broker_figure(b, 'clients')) },
  { html: (b) => {
    const w = broker_figure(b, 'workers');
    return Array.isArray(w) ? num(w.length) : num(w ?? workers_on(b.endpoint));
  } },
  { html: (b) => num((b.services || []).filter((s) => !s.includes('@')).length) },
  // What the broker publishes in its record about once a second, and what
  // discovering clients weigh it by (docs/design.md).
  { html: (b) => b.load
    ? `${num(b.load.queued)} queued<div class="sub">${num(b.load.in_flight)} in flight, ` +
      `${num(b.load.cpu_percent)}% CPU</div>`
    : '-' },
];

function render_brokers(terms) {
  const brokers = broker_rows()
    .filter((b) => matches(terms, [b.host, b.region, ...(b.services || [])]))
    .sort((a, b) => by_name(a.id, b.id));
  sync_table($('#brokers-table'), brokers, (b) => b.id, 'brokerId', broker_columns);
}
