// Actions on instances: unregister, register, restart, stop, for one row or
// the ticked selection, each after a confirmation, through POST
// /api/actions; the results are listed under the table.

async function run_action(action, ids) {
  if (ids.length === 0) return;
  const list = ids.length <= 5 ? ids.join('\n') : `${ids.slice(0, 5).join('\n')}\n…`;
  if (!window.confirm(`${action} ${ids.length} instance(s)?\n${list}`)) return;
  show_results(action, [{ id: ids.join(', '), ok: true, text: 'sent…', pending: true }]);
  try {
    const reply = await fetch('/api/actions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action, ids }),
    });
    const body = await reply.json().catch(() => ({ error: `HTTP ${reply.status}` }));
    if (!reply.ok || body.error) {
      show_results(action, [{ id: ids.join(', '), ok: false, text: body.error || `HTTP ${reply.status}` }]);
      return;
    }
    show_results(action, body.results || []);
  } catch (e) {
    show_results(action, [{ id: ids.join(', '), ok: false, text: String(e) }]);
  }
}

function show_results(action, results) {
  const list = $('#action-results');
  list.innerHTML = results.map((r) =>
    `<li class="${r.pending ? 'pending' : r.ok ? 'ok' : 'failed'}" data-result-id="${esc(r.id)}"` +
    ` data-ok="${r.pending ? '' : r.ok}">${esc(action)} ${esc(r.id)}: ` +
    `${r.pending ? '' : r.ok ? 'ok' : 'failed'} ${esc(r.text || '')}</li>`).join('');
}

function shown_instance_ids() {
  return [...document.querySelectorAll('#instances-table tbody tr')].map((tr) => tr.dataset.instanceId);
}

function wire_actions() {
  const table = $('#instances-table');
  table.addEventListener('click', (event) => {
    const button = event.target.closest('button.action');
    if (button) run_action(button.dataset.action, [button.dataset.id]);
  });
  table.addEventListener('change', (event) => {
    const box = event.target;
    if (box.id === 'select-all') {
      for (const id of shown_instance_ids()) {
        if (box.checked) state.selection.add(id); else state.selection.delete(id);
      }
    } else if (box.classList.contains('select-instance')) {
      if (box.checked) state.selection.add(box.dataset.id); else state.selection.delete(box.dataset.id);
    }
    schedule_render();
  });
  for (const button of document.querySelectorAll('[data-selection-action]')) {
    button.addEventListener('click', () => run_action(button.dataset.selectionAction, [...state.selection]));
  }
  $('#selection-clear').addEventListener('click', () => {
    state.selection.clear();
    $('#select-all').checked = false;
    schedule_render();
  });
}
