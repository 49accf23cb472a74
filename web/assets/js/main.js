// Start: wire the inputs, open the stream, render on change (coalesced to
// one pass per 100 ms) and every second (ages and uptimes move on).

let render_timer = null;

function schedule_render() {
  if (render_timer) return;
  render_timer = setTimeout(() => {
    render_timer = null;
    render();
  }, 100);
}

function render() {
  const terms = search_terms($('#search').value);
  $('#banner-redis').hidden = state.redis !== 'down';
  render_topology(terms);
  render_services(terms);
  render_instances(terms);
  render_hosts(terms);
  render_brokers(terms);
  render_events(terms);
  render_log_choices();
}

function main() {
  $('#search').addEventListener('input', schedule_render);
  $('#event-filter').addEventListener('input', schedule_render);
  wire_actions();
  wire_logs();
  open_stream();
  watch_stream();
  setInterval(schedule_render, 1000);
  render();
}

main();
