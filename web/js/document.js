// The document view: the page with its hits and field boxes (zoom, pan), the fields, tags, notes
// and title (editable by operators), downloads, the text (selectable), the history, and
// previous/next result of the search it was opened from.
import {get, request, session, download} from './api.js';
import {h, replace, announce, formatConfidence} from './dom.js';
import {pageView} from './page_view.js';
import {fieldTable, titleOf} from './fields.js';
import {searchHash, fetchResults} from './search.js';

const baseName = (path) => (path || '').split(/[\\/]/).pop() || 'original';

// The search result (or, with no query, the document of the list) at a position.
async function resultAt(q, sort, at) {
  if (at < 0) return null;
  const body = await fetchResults({q, sort, offset: at}, 1);
  return {result: (body.results || body.documents)[0] || null, total: body.total};
}

function patch(doc, change) {
  return request('PATCH', `/api/documents/${doc.id}`, change);
}

function titleEditor(doc, reload) {
  const heading = h('h1', {class: 'doc-title'}, titleOf(doc));
  if (!session.canEdit) return heading;
  const input = h('input', {name: 'title', value: doc.title || '', 'aria-label': 'Title'});
  const message = h('span', {class: 'field-message', role: 'alert'});
  const form = h('form', {class: 'inline-form title-form', hidden: true},
    input, h('button', {type: 'submit'}, 'Save title'), message);
  const edit = h('button', {type: 'button', class: 'link', onclick: () => {
    form.hidden = false;
    edit.hidden = true;
    input.focus();
  }}, 'Edit title');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await patch(doc, {title: input.value.trim()});
      announce('Title saved');
      reload();
    } catch (error) { message.textContent = error.message; }
  });
  return h('div', {class: 'title-block'}, heading, edit, form);
}

function tagEditor(doc, reload) {
  const tags = doc.tags || [];
  const message = h('p', {class: 'field-message', role: 'alert'});
  const change = async (body) => {
    try {
      await patch(doc, body);
      reload();
    } catch (error) { message.textContent = error.message; }
  };
  const list = h('ul', {class: 'tags', 'aria-label': 'Tags'}, tags.length === 0 && !session.canEdit
    ? h('li', {class: 'muted'}, 'none')
    : tags.map((tag) => h('li', {class: 'tag'}, tag, session.canEdit
      ? h('button', {type: 'button', class: 'tag-remove', 'aria-label': `Remove tag ${tag}`,
        onclick: () => change({tags_remove: [tag]})}, '×')
      : null)));
  if (!session.canEdit) return h('section', {class: 'panel'}, h('h2', {}, 'Tags'), list);
  const input = h('input', {name: 'tag', 'aria-label': 'New tag', placeholder: 'new tag'});
  const form = h('form', {class: 'inline-form'}, input, h('button', {type: 'submit'}, 'Add tag'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const tag = input.value.trim();
    if (tag) change({tags_add: [tag]});
  });
  return h('section', {class: 'panel'}, h('h2', {}, 'Tags'), list, form, message);
}

function notesEditor(doc, reload) {
  if (!session.canEdit) {
    return h('section', {class: 'panel'}, h('h2', {}, 'Notes'),
      h('p', {class: 'notes'}, doc.notes || h('span', {class: 'muted'}, 'none')));
  }
  const area = h('textarea', {name: 'notes', rows: 3, 'aria-label': 'Notes'}, doc.notes || '');
  const message = h('span', {class: 'field-message', role: 'alert'});
  const form = h('form', {}, area, h('button', {type: 'submit'}, 'Save notes'), message);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await patch(doc, {notes: area.value});
      announce('Notes saved');
      reload();
    } catch (error) { message.textContent = error.message; }
  });
  return h('section', {class: 'panel'}, h('h2', {}, 'Notes'), form);
}

function downloads(doc) {
  const message = h('p', {class: 'field-message', role: 'alert'});
  const fetchAs = (path, name) => async () => {
    message.textContent = '';
    try { await download(path, name); } catch (e) { message.textContent = e.message; }
  };
  const saveText = () => {
    const text = (doc.pages || []).map((p) => p.text || '').join('\f');
    const url = URL.createObjectURL(new Blob([text], {type: 'text/plain;charset=utf-8'}));
    const link = h('a', {href: url, download: `document-${doc.id}.txt`});
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  };
  return h('section', {class: 'panel'}, h('h2', {}, 'Download'),
    h('div', {class: 'buttons'},
      h('button', {type: 'button', onclick: fetchAs(`/api/documents/${doc.id}/original`, baseName(doc.source))}, 'Original'),
      h('button', {type: 'button', onclick: saveText}, 'Text'),
      h('button', {type: 'button', onclick: fetchAs(`/api/documents/${doc.id}/pdf`, `document-${doc.id}.pdf`)}, 'Searchable PDF')),
    message);
}

function historyTable(doc) {
  const events = doc.history || [];
  return h('section', {class: 'panel'}, h('h2', {}, 'History'),
    h('table', {class: 'history'},
      h('thead', {}, h('tr', {}, ['Time', 'Action', 'By', 'Detail'].map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, events.map((e) => h('tr', {},
        h('td', {}, h('time', {datetime: e.time}, (e.time || '').replace('T', ' ').replace('Z', ''))),
        h('td', {}, e.action), h('td', {class: 'by'}, e.by), h('td', {}, e.detail || ''))))));
}

// A form's printed keys with the values filled in; hovering or focusing a row outlines both on
// the page (the key dashed, the value solid).
function pairsPanel(doc, onShow) {
  const pairs = doc.pairs || [];
  if (pairs.length === 0) return null;
  return h('section', {class: 'panel'}, h('h2', {}, 'Keys and values'),
    h('table', {class: 'pairs'},
      h('thead', {}, h('tr', {}, ['Key', 'Value', 'Confidence'].map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, pairs.map((pair, i) => h('tr', {tabindex: 0, 'data-pair': i,
        onmouseenter: () => onShow(i), onfocus: () => onShow(i),
        onmouseleave: () => onShow(-1), onblur: () => onShow(-1)},
        h('th', {scope: 'row'}, pair.key),
        h('td', {}, pair.value || h('span', {class: 'muted'}, '(empty)')),
        h('td', {}, formatConfidence(pair.confidence)))))));
}

function textPanel(doc) {
  return h('details', {class: 'panel text-panel'}, h('summary', {}, 'Text'),
    (doc.pages || []).map((p, i) => h('section', {},
      h('h3', {}, `Page ${i + 1}`), h('pre', {class: 'page-text'}, p.text || ''))));
}

function resultNav(context, id) {
  if (!context) return null;
  const {q, sort, at, total} = context;
  const step = (delta) => async () => {
    const next = await resultAt(q, sort, at + delta);
    if (!next || !next.result) return;
    const params = new URLSearchParams({q, sort, at: at + delta});
    location.hash = `#/doc/${next.result.id}?${params}`;
  };
  return h('nav', {class: 'result-nav', 'aria-label': 'Results'},
    h('a', {href: searchHash({q, sort, offset: Math.floor(at / 20) * 20})}, '← Results'),
    h('button', {type: 'button', disabled: at <= 0, onclick: step(-1)}, '‹ Previous result'),
    h('span', {}, `${at + 1} of ${total}`),
    h('button', {type: 'button', disabled: at + 1 >= total, onclick: step(1)}, 'Next result ›'),
    h('span', {class: 'muted'}, `document ${id}`));
}

export async function showDocument(main, [id], params) {
  const q = params.get('q');
  const sort = params.get('sort') || 'relevance';
  const at = Number(params.get('at'));
  let pageIndex = Number(params.get('page')) || 0;
  let context = null;
  let hits = [];
  replace(main, h('p', {class: 'summary'}, 'Loading…'));
  try {
    const [doc, found] = await Promise.all([
      get(`/api/documents/${encodeURIComponent(id)}`),
      q !== null && params.has('at') ? resultAt(q, sort, at) : null,
    ]);
    if (found && found.result && String(found.result.id) === String(doc.id)) {
      context = {q, sort, at, total: found.total};
      hits = found.result.hits || [];
    }
    render(doc);
  } catch (e) {
    replace(main, h('p', {class: 'error', role: 'alert'}, `Document ${id}: ${e.message}`));
  }

  async function reload() {
    try { render(await get(`/api/documents/${encodeURIComponent(id)}`)); } catch (e) {
      announce(e.message);
    }
  }

  function render(doc) {
    const pages = doc.pages || [];
    pageIndex = Math.min(pageIndex, Math.max(0, pages.length - 1));
    const page = pages[pageIndex] || {width: 2550, height: 3300};
    const view = pageView({docId: doc.id, pageIndex, page,
      hits: hits.filter((hit) => hit.page === pageIndex), fields: doc.fields || {}, pairs: doc.pairs || []});
    const pagePicker = pages.length > 1 ? h('nav', {class: 'page-picker', 'aria-label': 'Pages'},
      pages.map((_, i) => h('button', {type: 'button', 'aria-current': i === pageIndex ? 'page' : null,
        onclick: () => { pageIndex = i; render(doc); }}, `Page ${i + 1}`))) : null;
    const reasons = doc.review_reasons || [];
    replace(main,
      resultNav(context, doc.id),
      h('div', {class: 'doc-layout'},
        h('section', {class: 'doc-page', 'aria-label': 'Page image'}, pagePicker, view.element),
        h('section', {class: 'doc-info', 'aria-label': 'Document'},
          titleEditor(doc, reload),
          h('p', {class: 'doc-meta'},
            h('span', {class: 'badge'}, doc.type || 'other'), ' ',
            `${baseName(doc.source)} · ${pages.length} page${pages.length === 1 ? '' : 's'} · stored ${(doc.ingested || '').replace('T', ' ').replace('Z', '')}`),
          doc.needs_review ? h('div', {class: 'review-note', role: 'note'},
            h('strong', {}, 'Needs review: '), reasons.join('; ') || 'a person should check it',
            session.canEdit ? [' ', h('a', {href: `#/review/${doc.id}`}, 'Review it')] : null) : null,
          h('section', {class: 'panel'}, h('h2', {}, 'Fields'),
            fieldTable(doc, {onShow: (name) => view.showField(name), onSaved: reload})),
          pairsPanel(doc, (i) => view.showPair(i)),
          tagEditor(doc, reload),
          notesEditor(doc, reload),
          downloads(doc),
          textPanel(doc),
          historyTable(doc))));
    view.start();
  }
}
