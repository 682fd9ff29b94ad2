// The inbox: each hot folder's backlog, the documents just stored, and the failed files with
// their reasons; operators retry (the file goes back to be read) or discard them.
import {get, request, session} from './api.js';
import {h, replace, announce} from './dom.js';

const kRefreshMs = 5000;
const kRecent = 10;

const when = (time) => {
  if (typeof time === 'number') return new Date(time).toISOString().replace('T', ' ').slice(0, 19);
  return (time || '').replace('T', ' ').replace('Z', '');
};

function folderTable(folders) {
  if (folders.length === 0) return h('p', {class: 'muted'}, 'No hot folder is watched (quire serve --watch INBOX).');
  return h('table', {class: 'folders'},
    h('thead', {}, h('tr', {}, ['Folder', 'Waiting', 'Being read', 'Stored (last hour)', 'Failed (last hour)']
      .map((c) => h('th', {scope: 'col'}, c)))),
    h('tbody', {}, folders.map((f) => h('tr', {},
      h('td', {}, f.inbox ?? f.path ?? f.name ?? ''),
      h('td', {class: 'number'}, f.waiting ?? f.backlog ?? 0),
      h('td', {class: 'number'}, f.in_progress ?? 0),
      h('td', {class: 'number'}, f.last_hour ? f.last_hour.committed : ''),
      h('td', {class: 'number'}, f.last_hour ? f.last_hour.failed : '')))));
}

function failedList(failed, refresh) {
  if (failed.length === 0) return h('p', {class: 'muted'}, 'No failed files.');
  return h('ul', {class: 'failed'}, failed.map((f) => {
    const name = f.name ?? f.file;
    const message = h('span', {class: 'field-message', role: 'alert'});
    const act = (method, path, done) => async () => {
      try {
        await request(method, path);
        announce(`${name} ${done}`);
        refresh();
      } catch (e) { message.textContent = e.message; }
    };
    const path = `/api/inbox/failed/${encodeURIComponent(name)}`;
    return h('li', {class: 'failed-file', 'data-failed': name},
      h('div', {}, h('strong', {class: 'failed-name'}, name), ' ',
        h('span', {class: 'muted'}, when(f.time ?? f.time_ms))),
      h('p', {class: 'reason'}, f.error ?? f.reason ?? ''),
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
  const folders = h('div');
  const failed = h('div');
  const recent = h('div');
  replace(main, h('h1', {}, 'Inbox'),
    h('div', {class: 'inbox-layout'},
      h('section', {class: 'panel'}, h('h2', {}, 'Hot folders'), folders),
      h('section', {class: 'panel'}, h('h2', {}, 'Failed files'), failed),
      h('section', {class: 'panel'}, h('h2', {}, 'Just stored'), recent)));

  let shown = '';
  async function refresh() {
    try {
      const [inbox, docs] = await Promise.all([get('/api/inbox'), get(`/api/documents?limit=${kRecent}&offset=0`)]);
      // Redrawn only when something changed, so focus and reading are not disturbed.
      const now = JSON.stringify([inbox, docs]);
      if (now === shown) return;
      shown = now;
      replace(folders, folderTable(inbox.folders || inbox.hot_folders || inbox.inboxes || []));
      replace(failed, failedList(inbox.failed || [], refresh));
      replace(recent, recentList(docs.documents || []));
    } catch (e) {
      replace(failed, h('p', {class: 'error', role: 'alert'}, e.message));
    }
  }
  await refresh();
  const timer = setInterval(refresh, kRefreshMs);
  return () => clearInterval(timer);
}
