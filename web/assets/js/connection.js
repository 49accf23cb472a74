// The stream: /api/events through EventSource. The page says
// "disconnected" on an error or after 5 s without any event (the server
// sends the services every second), and opens a new stream itself every
// second until one answers; its snapshot replaces the whole state.

const connection = {
  source: null,
  last_message_ms: 0,
  connected: false,
  retry_timer: null,
};

const silence_limit_ms = 5000;

function set_connected(connected) {
  connection.connected = connected;
  $('#banner-disconnected').hidden = connected;
  const status = $('#conn-status');
  status.dataset.state = connected ? 'live' : 'disconnected';
  status.textContent = connected ? 'live' : 'disconnected';
  document.body.classList.toggle('stale', !connected);
}

function on_stream_message(handler) {
  return (event) => {
    connection.last_message_ms = Date.now();
    if (!connection.connected) set_connected(true);
    let data;
    try {
      data = JSON.parse(event.data);
    } catch (e) {
      console.warn('bad event data', event.type, e);
      return;
    }
    handler(data);
    schedule_render();
  };
}

function open_stream() {
  if (connection.source) connection.source.close();
  const source = new EventSource('/api/events');
  connection.source = source;
  connection.last_message_ms = Date.now();
  source.addEventListener('snapshot', on_stream_message(apply_snapshot));
  source.addEventListener('instance', on_stream_message(apply_instance));
  source.addEventListener('services', on_stream_message((d) => { state.services = d || []; }));
  source.addEventListener('log', on_stream_message(apply_log));
  source.addEventListener('status', on_stream_message((d) => { state.redis = d.redis; }));
  source.onerror = () => {
    set_connected(false);
    // A fresh stream rather than the browser's retry with Last-Event-ID: a
    // dashboard restarted on the same port numbers its events from 1 again,
    // so an id from before could replay the wrong deltas; a new snapshot is
    // always right, and small.
    source.close();
    retry_later();
  };
}

function retry_later() {
  if (connection.retry_timer) return;
  connection.retry_timer = setTimeout(() => {
    connection.retry_timer = null;
    open_stream();
  }, 1000);
}

// Silence: the connection may be half-open (a vanished server, a dropped
// route). Say so after 5 s; after 15 s start again rather than wait on TCP
// (a late services tick alone must not cost a new snapshot).
function watch_stream() {
  setInterval(() => {
    const silent = Date.now() - connection.last_message_ms;
    if (silent > silence_limit_ms && connection.connected) set_connected(false);
    if (silent > 3 * silence_limit_ms) {
      connection.last_message_ms = Date.now();
      open_stream();
    }
  }, 1000);
}
