// The inbox: each hot folder's backlog, the documents just stored, and the failed files with
// their reasons; operators retry (the file goes back to be read) or discard them.
import {get, request, session} from './api.js';
import {h, replace, announce} from './dom.js';

const kRefreshMs = 5000;

const when = (time) => (time || '').replace('T', ' ').replace('Z', '');

function folderTable(inboxes) {
  if (inboxes.length === 0) return h('p', {class: 'muted'}, 'No hot folder is watched (quire serve --watch INBOX).');
  return h('table', {class: 'folders'},
    h('thead', {}, h('tr', {}, ['Folder', 'Path', 'Waiting', 'Being read', 'Failed']
      .map((c) => h('th', {scope: 'col'}, c)))),
    h('tbody', {}, inboxes.map((inbox) => h('tr', {},
      h('td', {}, inbox.name), h('td', {}, h('code', {}, inbox.path)),
      h('td', {class: 'number'}, inbox.waiting),
      h('td', {class: 'number'}, inbox.in_progress),
      h('td', {class: 'number'}, (inbox.failed || []).length)))));
}

// An upload waits as JOB~USER~NAME (app/uploads.h): shown as the name and who sent it.
function fileLabel(file) {
  const upload = /^\d+~([^~]+)~(.+)$/.exec(file);
  return upload ? `${upload[2]} (uploaded by ${upload[1]})` : file;
}

function failedList(failed, refresh) {
  if (failed.length === 0) return h('p', {class: 'muted'}, 'No failed files.');
  return h('ul', {class: 'failed'}, failed.map((f) => {
    const name = f.name;  // "K/FILE": the K-th inbox's failed file
    const message = h('span', {class: 'field-message', role: 'alert'});
    const act = (method, path, done) => async () => {
      try {
        await request(method, path);
        announce(`${name} ${done}`);
        refresh();
      } catch (e) { message.textContent = e.message; }
    };
    const path = `/api/inbox/failed/${name.split('/').map(encodeURIComponent).join('/')}`;
    return h('li', {class: 'failed-file', 'data-failed': name},
      h('div', {}, h('strong', {class: 'failed-name'}, fileLabel(f.file)), ' ',
        h('span', {class: 'muted'}, `in ${f.inbox} · ${when(f.time)}`)),
      h('p', {class: 'reason'}, f.reason),
      session.canEdit ? h('div', {class: 'buttons'},
        h('button', {type: 'button', onclick: act('POST', `${path}/retry`, 'sent back to be read')}, 'Retry'),
        h('button', {type: 'button', class: 'danger', onclick: act('DELETE', path, 'discarded')}, 'Discard'))
        : null,
      message);
  }));
}

function recentList(documents) {
  if (documents.length === 0) return h('p', {class: 'muted'}, 'The archive is empty.');
  return h('ol', {class: 'recent'}, documents.map((d) => h('li', {'data-doc-id': d.id},
    h('a', {href: `#/doc/${d.id}`}, `${d.id} · ${d.type} · ${(d.source || '').split('/').pop()}`),
    ' ', h('span', {class: 'muted'}, when(d.ingested)),
    d.needs_review ? h('span', {class: 'badge warn'}, 'needs review') : null)));
}

export async function showInbox(main) {
  const loading = () => h('div', {}, h('p', {class: 'muted'}, 'Loading…'));
  const folders = loading();
  const failed = loading();
  const recent = loading();
  replace(main, h('h1', {}, 'Inbox'),
    h('div', {class: 'inbox-layout'},
      h('section', {class: 'panel'}, h('h2', {}, 'Hot folders'), folders),
      h('section', {class: 'panel'}, h('h2', {}, 'Failed files'), failed),
      h('section', {class: 'panel'}, h('h2', {}, 'Just stored'), recent)));

  let shown = '';
  async function refresh() {
    try {
      const inbox = await get('/api/inbox');
      // Redrawn only when something changed, so focus and reading are not disturbed.
      const now = JSON.stringify(inbox);
      if (now === shown) return;
      shown = now;
      const inboxes = inbox.inboxes || [];
      replace(folders, folderTable(inboxes));
      replace(failed, failedList(inboxes.flatMap((i) => (i.failed || []).map((f) => ({...f, inbox: i.name}))), refresh));
      replace(recent, recentList(inbox.recent || []));
    } catch (e) {
      replace(failed, h('p', {class: 'error', role: 'alert'}, e.message));
    }
  }
  await refresh();
  const timer = setInterval(refresh, kRefreshMs);
  return () => clearInterval(timer);
}
