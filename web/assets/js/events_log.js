// The event log: registry changes (added, removed, registered, unregistered)
// and skyd's (deployed, restarted, crash-looping...), newest first, narrowed
// by its own filter and by the search box.

function event_time(entry) {
  const d = new Date(Number(entry.time_ms) || 0);
  return d.toLocaleTimeString([], { hour12: false });
}

function render_events(terms) {
  const filter = search_terms($('#event-filter').value);
  const shown = [];
  for (let i = state.events.length - 1; i >= 0 && shown.length < 200; i -= 1) {
    const e = state.events[i];
    const r = state.instances.get(e.id) || {};
    if (!matches(terms, [e.service, e.host, e.region || r.region, r.version, r.service && release(r)])) continue;
    if (!matches(filter, [e.kind, e.text, e.service, e.host, e.id])) continue;
    shown.push(`<li data-kind="${esc(e.kind)}" data-event-id="${esc(e.id)}">` +
      `<time>${esc(event_time(e))}</time> ${badge(e.kind, String(e.kind).replace(/[^a-z-]/g, ''))} ` +
      `<span class="service">${esc(e.service)}</span> <span class="sub">${esc(e.host)}</span> ` +
      `${esc(e.text)}</li>`);
  }
  const html = shown.join('') || '<li class="empty">No event yet.</li>';
  const log = $('#event-log');
  if (log.dataset.html !== html) {
    log.innerHTML = html;
    log.dataset.html = html;
  }
}
