// Scan (operators): the server's scanner drives a batch (/api/scans). Pages appear as thumbnails
// while they are scanned and read, grouped into the documents the separation proposes; the
// operator starts or joins a document at a page, turns, deletes or rescans a page, keeps a sheet
// taken for a separator, scans more pages (the rest of a batch after a jam), then commits: each
// group becomes a document, linked here.
import {get, request, imageUrl, session} from './api.js';
import {h, replace, announce} from './dom.js';

const kPollMs = 500;
const kThumbWidth = 160;

// The values a scanner's option allows ("Flatbed|ADF" or "75..1200 dpi"), as a list.
function allowed(device, name) {
  const option = (device?.options || []).find((o) => o.name === name);
  if (!option || !option.allowed || option.allowed.includes('..')) return [];
  return option.allowed.replace(/ [a-z%]+$/, '').split('|');
}

function select(name, label, values, chosen) {
  const id = `scan-${name}`;
  return h('label', {for: id}, label,
    h('select', {id, name}, values.map(([value, text]) =>
      h('option', {value, props: {selected: value === chosen}}, text))));
}

function settingsForm(devices, onScan) {
  const form = h('form', {class: 'scan-settings panel', 'aria-label': 'Scan settings'});
  const fields = h('div', {class: 'scan-fields'});
  const every = h('input', {type: 'number', name: 'every', min: 1, value: 2, 'aria-label': 'Pages per document', class: 'every'});
  const draw = () => {
    const deviceName = form.elements.device?.value || devices[0]?.name;
    const device = devices.find((d) => d.name === deviceName) || devices[0];
    const sources = allowed(device, 'source');
    const modes = allowed(device, 'mode');
    replace(fields,
      select('device', 'Scanner', devices.map((d) => [d.name, `${d.vendor} ${d.model} (${d.name})`]), device?.name),
      sources.length ? select('source', 'Source', sources.map((s) => [s, s]), sources.find((s) => /feeder|adf/i.test(s)) || sources[0]) : null,
      h('label', {for: 'scan-resolution'}, 'Resolution (dpi)',
        h('input', {id: 'scan-resolution', name: 'resolution', type: 'number', min: 50, max: 1200, value: 300})),
      modes.length ? select('mode', 'Mode', modes.map((m) => [m, m]), modes.includes('Gray') ? 'Gray' : modes[0]) : null,
      h('span', {class: 'separate'},
        select('separate', 'Separate documents by', [['', 'nothing: one document'], ['blank', 'blank sheets'],
          ['barcode', 'separator barcodes'], ['pages', 'every N pages']], ''),
        every));
    form.elements.device.addEventListener('change', draw);
  };
  form.append(fields, h('div', {class: 'buttons'}, h('button', {type: 'submit', class: 'primary'}, 'Scan')));
  draw();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const el = form.elements;
    const separate = el.separate.value === 'pages' ? `pages:${every.value}` : el.separate.value;
    onScan({device: el.device.value, source: el.source?.value, mode: el.mode?.value,
      resolution: Number(el.resolution.value), separate});
  });
  return form;
}

const pageLabel = (page) => `Page ${page.page + 1}`;

function thumbnail(scanId, page) {
  const img = h('img', {alt: `${pageLabel(page)} as scanned`});
  if (page.version > 0) {
    imageUrl(`/api/scans/${scanId}/pages/${page.page}/image?width=${kThumbWidth}&v=${page.version}`)
      .then((url) => { img.src = url; }).catch(() => { img.alt = `${pageLabel(page)}: no image`; });
  }
  return h('div', {class: 'scan-thumb'}, img);
}

function pageState(page) {
  if (!page.read) return 'reading…';
  if (page.error) return `not read: ${page.error}`;
  if (page.separator) return 'separator sheet';
  if (page.blank) return 'blank';
  return page.barcodes?.length ? `barcode ${page.barcodes.join(', ')}` : '';
}

// A page's tile, with the fixes that apply to it. `starts`: it starts its document; `firstOfAll`:
// it is the batch's first page.
function pageTile(scan, page, {starts, firstOfAll, act}) {
  const editable = scan.state !== 'committed' && page.read;
  const button = (action, text, run) => h('button', {type: 'button', 'data-action': action,
    'data-page': page.page, disabled: !editable, onclick: run, 'aria-label': `${text}: ${pageLabel(page)}`}, text);
  const path = `/api/scans/${scan.id}/pages/${page.page}`;
  const tools = page.separator
    ? [button('keep', 'Keep', () => act('POST', `${path}/keep`, `${pageLabel(page)} kept`))]
    : [
      firstOfAll ? null : starts
        ? button('join', 'Join to previous', () => act('POST', `${path}/join`, `${pageLabel(page)} joined to the document before`))
        : button('split', 'Split here', () => act('POST', `${path}/split`, `a document starts at ${pageLabel(page)}`)),
      button('turn', 'Turn', () => act('POST', `${path}/turn`, `${pageLabel(page)} turned`, {degrees: 90})),
      button('rescan', 'Rescan', () => act('POST', `${path}/rescan`, `${pageLabel(page)} is being scanned again`)),
      button('delete', 'Delete', () => act('DELETE', path, `${pageLabel(page)} deleted`)),
    ];
  return h('li', {class: `scan-page${page.separator ? ' separator' : ''}`, 'data-scan-page': page.page,
    'data-read': page.read ? 'yes' : 'no', 'data-turned': page.turned},
    thumbnail(scan.id, page),
    h('div', {class: 'scan-page-label'}, h('strong', {}, pageLabel(page)), ' ',
      h('span', {class: 'muted'}, pageState(page))),
    h('div', {class: 'buttons scan-tools'}, tools));
}

// The pages in scan order: each document's pages as a group, separator sheets between them.
function groups(scan, act) {
  const docOf = new Map();
  scan.documents.forEach((pages, k) => pages.forEach((p) => docOf.set(p, k)));
  const blocks = [];
  let last = -1;
  for (const page of scan.pages) {
    if (page.separator) {
      blocks.push(h('ol', {class: 'scan-separators', 'aria-label': 'Separator sheet'},
        pageTile(scan, page, {act})));
      continue;
    }
    const k = docOf.get(page.page);
    if (k !== last) {
      last = k;
      const count = scan.documents[k].length;
      blocks.push(h('section', {class: 'scan-doc', 'data-scan-doc': k, 'aria-label': `Document ${k + 1}`},
        h('h3', {}, `Document ${k + 1}`, h('span', {class: 'muted'}, ` · ${count} page${count === 1 ? '' : 's'}`)),
        h('ol', {class: 'scan-pages'})));
    }
    blocks.at(-1).querySelector('ol').append(pageTile(scan, page,
      {starts: scan.documents[k][0] === page.page, firstOfAll: scan.documents[0][0] === page.page, act}));
  }
  return blocks;
}

function committedList(scan) {
  return h('section', {class: 'panel scan-committed'}, h('h2', {}, 'Stored'),
    h('ol', {}, scan.committed.map((r) => {
      const id = r.id ?? r.duplicate_of;
      return h('li', {'data-committed-doc': id ?? '', 'data-pages': r.pages ?? ''},
        r.status === 'failed' ? `pages ${r.file_pages}: failed: ${r.error}`
          : [`pages ${r.file_pages} → `, h('a', {href: `#/doc/${id}`}, `document ${id}`),
            r.status === 'duplicate' ? ' (duplicate)' : ` (${r.pages} page${r.pages === 1 ? '' : 's'})`]);
    })));
}

export async function showScan(main) {
  if (!session.canEdit) {
    replace(main, h('h1', {}, 'Scan'), h('p', {}, 'Scanning needs an operator\'s account.'));
    return null;
  }
  const message = h('p', {class: 'error', role: 'alert'});
  const view = h('div', {class: 'scan-view'});
  let devices = [];
  try {
    devices = (await get('/api/scanners')).devices || [];
  } catch (e) {
    message.textContent = e.message;
  }
  let scan = null;
  let shown = '';
  let timer = null;

  function draw() {
    const now = JSON.stringify(scan);
    if (now === shown) return;
    shown = now;
    const focused = document.activeElement?.dataset;
    const refocus = focused?.action ? `[data-action="${focused.action}"][data-page="${focused.page}"]` : null;
    if (!scan) return replace(view);
    const busy = scan.state === 'scanning' || scan.pages.some((p) => !p.read);
    const state = scan.state === 'committed' ? 'committed'
      : scan.state === 'scanning' ? `scanning: ${scan.pages_scanned} page${scan.pages_scanned === 1 ? '' : 's'} so far`
        : `${scan.pages.length} page${scan.pages.length === 1 ? '' : 's'} in ${scan.documents.length} document${scan.documents.length === 1 ? '' : 's'}${busy ? ', being read' : ''}`;
    replace(view,
      h('div', {class: 'scan-head', 'data-scan-id': scan.id, 'data-state': scan.state},
        h('p', {class: 'scan-state', role: 'status'}, `Scan ${scan.id} on ${scan.device}: ${state}`),
        scan.message ? h('p', {class: 'scan-message badge warn', role: 'alert'}, scan.message) : null,
        scan.state === 'committed' ? null : h('div', {class: 'buttons'},
          scan.state === 'scanning' ? h('button', {type: 'button', onclick: () => act('POST', `/api/scans/${scan.id}/stop`, 'stopping the scan')}, 'Stop')
            : h('button', {type: 'button', onclick: () => act('POST', `/api/scans/${scan.id}/more`, 'scanning more pages')}, 'Scan more'),
          h('button', {type: 'button', class: 'primary', disabled: busy || scan.documents.length === 0,
            onclick: () => act('POST', `/api/scans/${scan.id}/commit`, 'stored')}, 'Commit'),
          h('button', {type: 'button', class: 'danger', onclick: discard}, 'Discard'))),
      scan.state === 'committed' ? committedList(scan) : h('div', {class: 'scan-groups'}, groups(scan, act)));
    if (refocus) view.querySelector(refocus)?.focus();
  }

  function follow() {
    clearTimeout(timer);
    const busy = scan && scan.state !== 'committed' && (scan.state === 'scanning' || scan.pages.some((p) => !p.read));
    if (!busy) return;
    timer = setTimeout(async () => {
      try {
        scan = await get(`/api/scans/${scan.id}`);
        draw();
      } catch (e) { message.textContent = e.message; }
      follow();
    }, kPollMs);
  }

  async function act(method, path, said, body) {
    message.textContent = '';
    try {
      scan = await request(method, path, body);
      draw();
      announce(scan.state === 'committed' ? `${scan.committed.length} documents stored` : said);
    } catch (e) { message.textContent = e.message; }
    follow();
  }

  async function discard() {
    message.textContent = '';
    try {
      await request('DELETE', `/api/scans/${scan.id}`);
      scan = null;
      draw();
      announce('scan discarded');
    } catch (e) { message.textContent = e.message; }
  }

  async function start(settings) {
    message.textContent = '';
    try {
      scan = await request('POST', '/api/scans', settings);
      draw();
      announce('scanning');
    } catch (e) { message.textContent = e.message; }
    follow();
  }

  replace(main, h('h1', {}, 'Scan'),
    devices.length ? settingsForm(devices, start)
      : h('p', {class: 'muted'}, 'No scanner found on the server: check that it is on and connected (quire scan --list).'),
    message, view);
  // A scan left open (the page reloaded) is shown again.
  try {
    const open = ((await get('/api/scans')).scans || []).filter((s) => s.state !== 'committed');
    if (open.length) {
      scan = await get(`/api/scans/${open.at(-1).id}`);
      draw();
      follow();
    }
  } catch (e) { message.textContent = e.message; }
  return () => clearTimeout(timer);
}
