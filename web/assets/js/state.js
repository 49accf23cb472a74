// The whole cluster as the page knows it, built from /api/events: a snapshot
// replaces it, deltas change it. Rendering reads only this.

const state = {
  instances: new Map(),  // id -> instance json (workers, brokers, daemons)
  services: [],          // the /api/services array, replaced every second
  brokers: new Map(),    // id -> broker figures from the snapshot
  events: [],            // event-log entries, newest last, bounded
  redis: 'up',
  selection: new Set(),  // instance ids ticked in the instances table
};

const max_events = 500;

function apply_snapshot(data) {
  state.instances = new Map();
  for (const r of data.instances || []) state.instances.set(r.id, r);
  state.services = data.services || [];
  state.brokers = new Map();
  for (const b of data.brokers || []) {
    const id = b.id || b.endpoint || b.name;
    if (id) state.brokers.set(id, b);
  }
  state.events = (data.events || []).slice(-max_events);
  state.redis = data.redis || 'up';
  for (const id of [...state.selection]) {
    if (!state.instances.has(id)) state.selection.delete(id);
  }
}

function apply_instance(data) {
  if (!data || !data.id) return;
  if (data.change === 'removed') {
    state.instances.delete(data.id);
    state.selection.delete(data.id);
  } else if (data.record) {
    state.instances.set(data.id, data.record);
  }
}

function apply_log(entry) {
  state.events.push(entry);
  if (state.events.length > max_events) state.events.splice(0, state.events.length - max_events);
}

function instances_of_kind(kind) {
  return [...state.instances.values()].filter((r) => (r.kind || 'worker') === kind);
}

// A worker's figure: stats first, then the top level (the registry's newer
// fields may sit at either).
function stat(r, name) {
  const s = r.stats || {};
  return s[name] ?? r[name];
}

// The badges of an instance's state: registered or not, what skyd says of
// its process (running, draining, crash-looping...), managed or not.
function instance_states(r) {
  const states = [r.registered === false ? 'unregistered' : 'registered'];
  // The record's own word (its graceful stop began) or skyd's, once.
  if (r.draining === true) states.push('draining');
  const process = r.process_state;
  if (process && process !== 'running' && !states.includes(process)) states.push(process);
  states.push(r.managed_by ? 'skyd' : 'unmanaged');
  return states;
}

function state_badges(r) {
  return instance_states(r).map((s) => badge(s, s.replace(/[^a-z-]/g, ''))).join(' ');
}
