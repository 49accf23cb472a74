// The logs panel: the live tail of a chosen service's processes, through
// skyd (/api/logs, server-sent events), filtered in the page as you type.

const logs = { source: null, lines: [], max_lines: 2000 };

function service_names() {
  const names = new Set(state.services.map((s) => s.service));
  for (const r of instances_of_kind('worker')) if (r.service) names.add(r.service);
  return [...names].sort(by_name);
}

function render_log_choices() {
  const select = $('#logs-service');
  const names = service_names();
  const current = [...select.options].slice(1).map((o) => o.value);
  if (current.join('\n') === names.join('\n')) return;
  const chosen = select.value;
  select.innerHTML = '<option value="">choose a service</option>' +
    names.map((n) => `<option value="${esc(n)}">${esc(n)}</option>`).join('');
  select.value = names.includes(chosen) ? chosen : '';
}

function render_log_lines() {
  const filter = $('#logs-filter').value.toLowerCase();
  const shown = logs.lines.filter((l) => !filter || l.text.toLowerCase().includes(filter));
  $('#logs-output').textContent = shown.slice(-500).map((l) => l.text).join('\n');
  const output = $('#logs-output');
  output.scrollTop = output.scrollHeight;
}

function stop_logs(status) {
  if (logs.source) logs.source.close();
  logs.source = null;
  $('#logs-follow').disabled = false;
  $('#logs-stop').disabled = true;
  if (status !== undefined) $('#logs-status').textContent = status;
}

function follow_logs() {
  const service = $('#logs-service').value;
  if (!service) { $('#logs-status').textContent = 'choose a service first'; return; }
  stop_logs();
  logs.lines = [];
  render_log_lines();
  const source = new EventSource(`/api/logs?service=${encodeURIComponent(service)}&tail=100`);
  logs.source = source;
  $('#logs-follow').disabled = true;
  $('#logs-stop').disabled = false;
  $('#logs-status').textContent = `following ${service}…`;
  source.addEventListener('line', (event) => {
    let d;
    try { d = JSON.parse(event.data); } catch (e) { return; }
    logs.lines.push({ text: `${d.host || ''} ${d.id || ''} | ${d.line ?? ''}` });
    if (logs.lines.length > logs.max_lines) logs.lines.splice(0, logs.lines.length - logs.max_lines);
    render_log_lines();
  });
  source.addEventListener('problem', (event) => {
    let d;
    try { d = JSON.parse(event.data); } catch (e) { return; }
    logs.lines.push({ text: `${d.host || ''} ${d.id || ''} ! ${d.text ?? ''}` });
    render_log_lines();
  });
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) stop_logs(`${service}: the stream ended`);
    else $('#logs-status').textContent = `${service}: reconnecting…`;
  };
  source.onopen = () => { $('#logs-status').textContent = `following ${service}`; };
}

function wire_logs() {
  $('#logs-follow').addEventListener('click', follow_logs);
  $('#logs-stop').addEventListener('click', () => stop_logs('stopped'));
  $('#logs-filter').addEventListener('input', render_log_lines);
}
