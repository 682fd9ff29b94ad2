// A document's fields as a table: value, confidence, validation problems. For operators each
// value is an editor ([data-field=NAME]) whose change the server validates (422 with its message:
// shown beside the field, nothing saved). Hovering or focusing a row outlines the field's box.
import {request, session} from './api.js';
import {h, replace, fieldLabel, formatConfidence, formatValue, announce} from './dom.js';

// The title a person gave, else what the search shows: the vendor and the number, else the file.
export function titleOf(doc) {
  const field = (name) => (doc.fields && doc.fields[name] ? doc.fields[name].value : '');
  return doc.title || [field('vendor_name'), field('invoice_number')].filter(Boolean).join(', ') ||
    (doc.source || '').split(/[\\/]/).pop() || `Document ${doc.id}`;
}

export const isEditable = (value) => typeof value === 'string' || typeof value === 'number';

// Sends one field's new value; resolves to the updated document, rejects with the server's message.
export function saveField(docId, name, value) {
  return request('PATCH', `/api/documents/${docId}`, {fields: {[name]: value}});
}

export function fieldProblems(field) {
  const problems = [...(field.problems || [])];
  if (field.valid === false && problems.length === 0) problems.push('fails validation');
  return problems;
}

// Line items come as a JSON list of {description, quantity, unit_price, amount}: read-only here.
function lineItems(name, value) {
  if (name !== 'line_items') return null;
  try {
    const items = typeof value === 'string' ? JSON.parse(value) : value;
    return Array.isArray(items) ? items : null;
  } catch {
    return null;
  }
}

function itemsTable(items) {
  const columns = [['description', 'Description'], ['quantity', 'Qty'], ['unit_price', 'Unit price'], ['amount', 'Amount']];
  return h('details', {class: 'items'}, h('summary', {}, formatValue(items)),
    h('table', {},
      h('thead', {}, h('tr', {}, columns.map(([, label]) => h('th', {scope: 'col'}, label)))),
      h('tbody', {}, items.map((item) => h('tr', {},
        columns.map(([key]) => h('td', {class: key === 'description' ? null : 'number'}, item[key] ?? '')))))));
}

// onShow(name|null) outlines a field's box; onSaved(doc) after a correction is stored.
export function fieldTable(doc, {onShow, onSaved}) {
  const rows = Object.entries(doc.fields || {}).map(([name, field], i) => {
    const problems = fieldProblems(field);
    const message = h('p', {class: 'field-message', id: `field-message-${i}`, role: 'alert'});
    let value;
    const items = lineItems(name, field.value);
    if (items) {
      value = itemsTable(items);
    } else if (session.canEdit && isEditable(field.value)) {
      value = h('input', {'data-field': name, value: field.value, 'aria-label': fieldLabel(name),
        'aria-describedby': message.id, spellcheck: 'false'});
      const commit = async () => {
        if (value.value === String(field.value)) return;
        replace(message);
        value.removeAttribute('aria-invalid');
        try {
          const updated = await saveField(doc.id, name, value.value.trim());
          announce(`${fieldLabel(name)} saved`);
          onSaved(updated);
        } catch (e) {
          value.setAttribute('aria-invalid', 'true');
          message.textContent = e.message;
        }
      };
      value.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); commit(); } });
      value.addEventListener('change', commit);
    } else {
      value = h('span', {class: 'value'}, formatValue(field.value));
    }
    const row = h('tr', {class: problems.length || field.valid === false ? 'invalid' : null,
      tabindex: session.canEdit ? null : 0},
    h('th', {scope: 'row'}, fieldLabel(name)),
    h('td', {}, value, message),
    h('td', {class: 'confidence', 'data-low': (field.confidence ?? 1) < 0.6 ? 'true' : null},
      formatConfidence(field.confidence)),
    h('td', {class: 'problems'}, problems.join('; '),
      field.set_by ? h('span', {class: 'muted'}, `${problems.length ? '; ' : ''}set by ${field.set_by}`) : null));
    const show = () => onShow(name);
    row.addEventListener('mouseenter', show);
    row.addEventListener('focusin', show);
    row.addEventListener('mouseleave', () => onShow(null));
    return row;
  });
  if (rows.length === 0) return h('p', {class: 'muted'}, 'No fields were read.');
  return h('table', {class: 'fields'},
    h('caption', {class: 'visually-hidden'}, 'Fields'),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Field'), h('th', {scope: 'col'}, 'Value'),
      h('th', {scope: 'col'}, 'Confidence'), h('th', {scope: 'col'}, 'Problems'))),
    h('tbody', {}, rows));
}
