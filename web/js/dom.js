// Building elements without a framework: h('a', {href: '#'}, 'text', child...).
// Attributes: 'class', 'data-*', 'aria-*' and others set as attributes; 'on*' functions become
// listeners; a property given as {prop: value} through 'props'. null/false children are skipped.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'props') {
      Object.assign(el, value);
    } else if (name === 'style' && typeof value === 'object') {
      Object.assign(el.style, value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

// Text with the API's [hit] markers shown as <mark>.
export function marked(snippet) {
  const parts = [];
  const re = /\[([^\]]*)\]/g;
  let last = 0;
  for (let m; (m = re.exec(snippet));) {
    parts.push(snippet.slice(last, m.index), h('mark', {}, m[1]));
    last = re.lastIndex;
  }
  parts.push(snippet.slice(last));
  return parts;
}

// Says something to screen readers without moving focus.
export function announce(text) {
  const status = document.getElementById('status');
  status.textContent = '';
  requestAnimationFrame(() => { status.textContent = text; });
}

export const fieldLabel = (name) => name.replace(/_/g, ' ');

export function formatConfidence(confidence) {
  return confidence === undefined || confidence === null ? '' : `${Math.round(confidence * 100)}%`;
}

// A value as a person reads it: amounts and dates as stored (normalised), line items counted.
export function formatValue(value) {
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? '' : 's'}`;
  if (value && typeof value === 'object') return JSON.stringify(value);
  return value ?? '';
}
