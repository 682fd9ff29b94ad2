// The review queue, built for the keyboard: each uncertain field of the current document beside a
// crop of the page where it was read. Enter accepts the value as read ({"accept": [NAME]}), or
// saves the correction typed over it (the server checks it; a refusal shows its reason and
// nothing is saved); Tab moves to the next field; Escape leaves
// the field, then J/K go to the next/previous document. When a document has nothing left to
// check, it leaves the queue and the next one comes up.
import {get, request, session} from './api.js';
import {h, replace, announce, fieldLabel, formatConfidence, formatValue} from './dom.js';
import {pageCrop, pageView} from './page_view.js';
import {saveField, isEditable, titleOf} from './fields.js';

// The field a review reason names: "total is uncertain (confidence 0.39)", "iban failed a check;
// ...", "invoice_date is missing"; a form's field names are printed labels ("Date of birth").
function fieldOf(reason) {
  const m = /^(.+?) (?:is uncertain|is missing|failed a check)/.exec(reason);
  return m ? m[1] : reason.split(/\s/, 1)[0];
}

// The fields the reasons name, in their order.
const namedFields = (reasons) => [...new Set((reasons || []).map(fieldOf))];

const reasonFor = (name, reasons) => (reasons || []).filter((r) => fieldOf(r) === name).join('; ');

const kCheckDelayMs = 300;  // after the last key, before the value typed is checked

const isTyping = (el) => el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable);

export async function showReview(main, [startId]) {
  if (!session.canEdit) {
    replace(main, h('h1', {}, 'Review queue'),
      h('p', {}, 'Reviewing needs an operator\'s account; you are signed in as a viewer.'));
    return null;
  }
  const heading = h('h1', {}, 'Review queue');
  const pace = h('p', {class: 'pace', 'aria-live': 'polite'});
  const cleared = [];  // seconds each document of this visit took
  const queueList = h('ol', {class: 'queue', 'aria-label': 'Documents waiting'});
  const current = h('section', {class: 'review-doc', 'aria-live': 'polite', tabindex: -1,
    'aria-label': 'Document under review'}, h('p', {class: 'muted'}, 'Loading the queue…'));
  replace(main,
    h('div', {class: 'review-head'}, heading,
      h('p', {class: 'keys'}, h('kbd', {}, 'Enter'), ' accepts or saves · type to correct · ',
        h('kbd', {}, 'Tab'), ' next field · ', h('kbd', {}, 'Esc'), ' then ', h('kbd', {}, 'J'), '/',
        h('kbd', {}, 'K'), ' next/previous document')),
    h('div', {class: 'review-layout'}, h('nav', {'aria-label': 'Queue'}, queueList, pace), current));

  let queue = [];
  let index = 0;
  let started = 0;

  async function loadQueue() {
    const body = await get('/api/review');
    queue = body.documents || [];
    // The server sends the newest 200 at most; the total counts them all.
    const shown = body.total > queue.length ? `, the newest ${queue.length} here` : '';
    heading.textContent = `Review queue (${body.total} waiting${shown})`;
    replace(queueList, queue.map((doc, i) => h('li', {'data-doc-id': doc.id, 'aria-current': i === index ? 'true' : null},
      h('a', {href: `#/review/${doc.id}`, onclick: (e) => { e.preventDefault(); open(i); }},
        `${doc.id} · ${doc.type} · ${(doc.source || '').split('/').pop()}`))));
  }

  async function open(i) {
    if (queue.length === 0) {
      delete current.dataset.docId;
      replace(current, h('p', {class: 'done-all'}, 'Nothing waiting for review. '),
        h('a', {href: '#/search'}, 'Back to search'));
      current.focus();
      return;
    }
    index = Math.max(0, Math.min(queue.length - 1, i));
    for (const [k, li] of [...queueList.children].entries()) {
      if (k === index) li.setAttribute('aria-current', 'true'); else li.removeAttribute('aria-current');
    }
    const id = queue[index].id;
    history.replaceState(null, '', `#/review/${id}`);
    replace(current, h('p', {}, 'Loading…'));
    const doc = await get(`/api/documents/${id}`);
    started = performance.now();
    render(doc);
  }

  function render(doc) {
    const reasons = doc.review_reasons || [];
    const names = namedFields(reasons);
    const views = [];  // page views to start once shown
    const cards = names.map((name, i) => fieldCard(doc, name, reasons, `review-${i}`, views));
    current.dataset.docId = doc.id;
    replace(current,
      h('h2', {}, h('a', {href: `#/doc/${doc.id}`}, titleOf(doc)), ' ',
        h('span', {class: 'badge'}, doc.type || 'other')),
      h('p', {class: 'doc-meta'}, (doc.source || '').split('/').pop(), ` · ${index + 1} of ${queue.length} `,
        h('button', {type: 'button', disabled: index === 0, onclick: () => open(index - 1)}, '‹ Previous (K)'), ' ',
        h('button', {type: 'button', disabled: index + 1 >= queue.length, onclick: () => open(index + 1)}, 'Next (J) ›')),
      cards.length ? cards : h('p', {}, reasons.join('; ')),
      otherFields(doc, names));
    for (const view of views) view.start();
    const first = current.querySelector('[data-field]');
    if (first) { first.focus(); first.select(); } else current.focus();
  }

  // Where the field was read; for a field not found, the whole page (zoom and pan) to find it in.
  function fieldPicture(doc, field, views) {
    const page = (doc.pages || [])[field.page || 0];
    if (!page) return h('p', {class: 'crop missing'}, 'The page image is not available.');
    if (field.box) return pageCrop({docId: doc.id, page, box: field.box, pageIndex: field.page || 0});
    const view = pageView({docId: doc.id, pageIndex: 0, page});
    views.push(view);
    return h('div', {class: 'crop-page'}, view.element);
  }

  // The document's other fields, to correct one seen wrong on the page while here: Enter saves a
  // changed value (checked by the server as the uncertain ones are).
  function otherFields(doc, names) {
    const rows = Object.entries(doc.fields || {})
      .filter(([name, field]) => !names.includes(name) && name !== 'line_items' && isEditable(field.value))
      .map(([name, field], i) => {
        const key = `other-${i}`;
        const message = h('p', {class: 'field-message', id: `${key}-message`, role: 'alert'});
        const input = h('input', {'data-field': name, id: key, value: field.value, spellcheck: 'false',
          'aria-describedby': message.id});
        fieldKeys(input, message, doc.id, name, async () => {
          const value = input.value.trim();
          if (value === String(field.value)) return;
          if (await save(input, message, () => saveField(doc.id, name, value))) await afterSave(doc.id, name);
        });
        return h('div', {class: 'other-field'}, h('label', {for: key}, fieldLabel(name)), input,
          h('span', {class: 'confidence'}, formatConfidence(field.confidence)), message);
      });
    if (rows.length === 0) return null;
    return h('section', {class: 'other-fields', 'aria-label': 'Other fields'}, h('h3', {}, 'Other fields'), rows);
  }

  // The keys every field editor here shares: Escape leaves it (for J/K), Tab goes to the next
  // field, typing is checked as it goes, Enter calls onEnter.
  function fieldKeys(input, message, id, name, onEnter) {
    input.addEventListener('input', () => {
      message.textContent = '';
      input.removeAttribute('aria-invalid');
      checkAsTyped(id, name, input, message);
    });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        current.focus();
      } else if (event.key === 'Tab' && moveBetweenFields(input, event.shiftKey ? -1 : 1)) {
        event.preventDefault();
      } else if (event.key === 'Enter') {
        event.preventDefault();
        onEnter();
      }
    });
  }

  // Sends a change; on refusal shows the server's reason by the field and returns false.
  async function save(input, message, send) {
    try {
      await send();
      return true;
    } catch (e) {
      input.setAttribute('aria-invalid', 'true');
      message.textContent = e.message;
      input.select();
      return false;
    }
  }

  // `key` makes the card's element ids: a form's field names are printed labels, with spaces.
  function fieldCard(doc, name, reasons, key, views) {
    const field = (doc.fields || {})[name] || {value: '', missing: true};
    const editable = field.missing || isEditable(field.value);
    const message = h('p', {class: 'field-message', id: `${key}-message`, role: 'alert'});
    const input = editable ? h('input', {'data-field': name, id: key, value: field.value ?? '',
      spellcheck: 'false', 'aria-describedby': `${key}-why ${message.id}`}) : null;
    const card = h('div', {class: 'review-field'},
      h('label', {for: input ? input.id : null, class: 'field-name'}, fieldLabel(name)),
      fieldPicture(doc, field, views),
      h('div', {class: 'review-input'},
        input || h('span', {}, formatValue(field.value)),
        h('span', {class: 'confidence'}, field.missing ? '' : formatConfidence(field.confidence))),
      h('p', {class: 'why', id: `${key}-why`}, reasonFor(name, reasons)),
      message);
    if (!input) return card;
    fieldKeys(input, message, doc.id, name, async () => {
      const value = input.value.trim();
      // The value as read, confirmed: accepted, not corrected (an empty one too: a blank box).
      const accepted = !field.missing && value === String(field.value ?? '');
      if (!accepted && value === '') {
        message.textContent = 'Type the value as printed on the page, then Enter.';
        return;
      }
      const sent = await save(input, message, () => (accepted
        ? request('PATCH', `/api/documents/${doc.id}`, {accept: [name]})
        : saveField(doc.id, name, value)));
      if (!sent) return;
      card.classList.add('done');
      await afterSave(doc.id, name);
    });
    return card;
  }

  // The server checks a value as it is typed (POST .../check: nothing is written) and its reason
  // shows before Enter; a server without the route (404) is not asked again.
  let liveCheck = true;
  let checkTimer = 0;
  function checkAsTyped(id, name, input, message) {
    clearTimeout(checkTimer);
    const value = input.value.trim();
    if (!liveCheck || value === '') return;
    checkTimer = setTimeout(async () => {
      try {
        await request('POST', `/api/documents/${id}/check`, {fields: {[name]: value}});
      } catch (e) {
        if (e.status === 404 || e.status === 405) liveCheck = false;
        else if (e.status === 422 && input.value.trim() === value) {
          input.setAttribute('aria-invalid', 'true');
          message.textContent = e.message;
        }
      }
    }, kCheckDelayMs);
  }

  // Tab goes from field to field, past the page views between them; false at either end.
  function moveBetweenFields(from, step) {
    const inputs = [...current.querySelectorAll('[data-field]')];
    const to = inputs[inputs.indexOf(from) + step];
    if (!to) return false;
    to.focus();
    to.select();
    return true;
  }

  async function afterSave(id, name) {
    const doc = await get(`/api/documents/${id}`);
    if (!doc.needs_review) {
      const seconds = (performance.now() - started) / 1000;
      cleared.push(seconds);
      const mean = cleared.reduce((a, b) => a + b, 0) / cleared.length;
      pace.textContent = `Cleared ${cleared.length} here, ${mean.toFixed(1)} s each`;
      announce(`Document ${id} reviewed in ${seconds.toFixed(1)} s`);
      await loadQueue();
      await open(index);
      return;
    }
    // Still waiting: go to the next field the reasons name.
    const inputs = [...current.querySelectorAll('.review-field [data-field]')];
    const at = inputs.findIndex((el) => el.dataset.field === name);
    const next = inputs.slice(at + 1).find((el) => !el.closest('.done')) || inputs.find((el) => !el.closest('.done'));
    if (next) { next.focus(); next.select(); } else render(doc);
  }

  const onKey = (event) => {
    if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'j' || event.key === 'J') open(index + 1);
    else if (event.key === 'k' || event.key === 'K') open(index - 1);
    else return;
    event.preventDefault();
  };
  document.addEventListener('keydown', onKey);

  try {
    await loadQueue();
    const start = queue.findIndex((d) => String(d.id) === String(startId));
    await open(start >= 0 ? start : 0);
  } catch (e) {
    replace(current, h('p', {class: 'error', role: 'alert'}, e.message));
  }
  return () => document.removeEventListener('keydown', onKey);
}
