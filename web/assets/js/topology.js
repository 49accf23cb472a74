// The topology: region -> host -> service@version -> instance, with each
// instance's state badges. Rebuilt whole: it holds no inputs.

function topology_tree(terms) {
  const regions = new Map();
  for (const r of state.instances.values()) {
    if (!matches(terms, instance_fields(r))) continue;
    const region = r.region || '(no region)';
    const host = r.host || '(no host)';
    if (!regions.has(region)) regions.set(region, new Map());
    const hosts = regions.get(region);
    if (!hosts.has(host)) hosts.set(host, { daemon: null, releases: new Map() });
    const h = hosts.get(host);
    if (r.kind === 'daemon') { h.daemon = r; continue; }
    const name = r.kind === 'broker' ? 'broker' : release(r);
    if (!h.releases.has(name)) h.releases.set(name, []);
    h.releases.get(name).push(r);
  }
  return regions;
}

function topology_instance(r) {
  const label = r.kind === 'broker' ? r.endpoint || r.id : `${r.id}`;
  return `<li class="instance" data-topology-instance-id="${esc(r.id)}">` +
    `<span class="mono">${esc(label)}</span> ` +
    (r.kind === 'broker' ? badge('broker', 'broker') : state_badges(r)) + '</li>';
}

function topology_host(name, h) {
  const daemon = h.daemon ? badge('skyd', 'registered') : badge('no skyd', 'unmanaged');
  const releases = [...h.releases.entries()].sort((a, b) => by_name(a[0], b[0]))
    .map(([rel, list]) => `<li class="release" data-release="${esc(rel)}"><b>${esc(rel)}</b>` +
      ` <span class="sub">${list.length}</span><ul>` +
      list.sort((a, b) => by_name(a.id, b.id)).map(topology_instance).join('') + '</ul></li>')
    .join('');
  return `<li class="host" data-host="${esc(name)}"><span class="host-name">${esc(name)}</span> ` +
    `${daemon}<ul>${releases}</ul></li>`;
}

function render_topology(terms) {
  const regions = topology_tree(terms);
  const html = [...regions.entries()].sort((a, b) => by_name(a[0], b[0]))
    .map(([region, hosts]) => `<div class="region" data-region="${esc(region)}">` +
      `<h3>${esc(region)}</h3><ul class="hosts">` +
      [...hosts.entries()].sort((a, b) => by_name(a[0], b[0]))
        .map(([name, h]) => topology_host(name, h)).join('') + '</ul></div>')
    .join('');
  const target = $('#topology');
  const shown = html || '<p class="empty">No instance in the registry.</p>';
  if (target.dataset.html !== shown) {
    target.innerHTML = shown;
    target.dataset.html = shown;
  }
  const workers = instances_of_kind('worker').length;
  $('#topology-summary').textContent =
    `${regions.size} region(s), ${host_rows().length} host(s), ${workers} worker(s)`;
}
