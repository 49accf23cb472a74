'use strict';
// Small helpers the rest of app.js shares: escaping, number and time formats,
// the search filter and the SVG sparkline. (app.js is js/*.js concatenated at
// build time: one classic script, one scope, no build tool.)

const $ = (selector) => document.querySelector(selector);

function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
}

function num(value, digits = 0) {
  const n = Number(value);
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

function ms(value) {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return '-';  // 0: nothing measured yet
  if (n < 1) return n.toFixed(2) + ' ms';
  if (n < 1000) return n.toFixed(1) + ' ms';
  return (n / 1000).toFixed(2) + ' s';
}

function us(value) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? ms(n / 1000) : '-';
}

function percent(value) {
  const n = Number(value);
  return Number.isFinite(n) ? (n * 100).toFixed(n > 0 && n < 0.01 ? 2 : 1) + '%' : '-';
}

function bytes(value) {
  let n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
  return n.toFixed(i ? 1 : 0) + ' ' + units[i];
}

function duration(seconds) {
  const s = Math.max(0, Math.floor(Number(seconds) || 0));
  if (s < 120) return s + ' s';
  if (s < 7200) return Math.floor(s / 60) + ' min';
  if (s < 172800) return Math.floor(s / 3600) + ' h';
  return Math.floor(s / 86400) + ' d';
}

// "12 s ago" from a wall-clock time in ms since the epoch (0: never).
function ago(at_ms) {
  if (!at_ms) return 'never';
  return duration((Date.now() - at_ms) / 1000) + ' ago';
}

function since(at_ms) {
  return at_ms ? duration((Date.now() - at_ms) / 1000) : '-';
}

function release(r) {
  return r.version ? `${r.service}@${r.version}` : (r.service || '-');
}

// The search box: every word must be in one of the item's fields
// (service, host, region, version, or service@version).
function matches(terms, fields) {
  if (terms.length === 0) return true;
  const texts = fields.filter((f) => f).map((f) => String(f).toLowerCase());
  return terms.every((t) => texts.some((f) => f.includes(t)));
}

function search_terms(text) {
  return String(text || '').toLowerCase().split(/\s+/).filter((t) => t);
}

// A small SVG line chart of `values` (oldest first), no axes: the trend.
function sparkline(values, width = 120, height = 24, css = 'spark') {
  const points = values.map(Number).filter((v) => Number.isFinite(v));
  if (points.length < 2) return `<svg class="${css}" width="${width}" height="${height}"></svg>`;
  const max = Math.max(...points, 1e-9);
  const step = width / (points.length - 1);
  const path = points.map((v, i) =>
    `${(i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`).join(' ');
  return `<svg class="${css}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<polyline points="${path}"/></svg>`;
}

function badge(text, kind) {
  return `<span class="badge badge-${esc(kind || text)}">${esc(text)}</span>`;
}
