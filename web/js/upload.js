// Upload: drop many files (or choose them); each goes up as its own request so each has its own
// progress, then its job is followed through reading to a link to the stored document,
// "duplicate of N" or the reason it failed.
import {upload, get, session} from './api.js';
import {h, replace, announce} from './dom.js';

const kConcurrentUploads = 2;
const kPollMs = 500;

function fileRow(file) {
  const bar = h('progress', {max: 1, value: 0, 'aria-label': `${file.name} progress`});
  const state = h('span', {class: 'upload-state'}, 'waiting');
  const row = h('li', {class: 'upload', 'data-upload': file.name, 'data-state': 'waiting'},
    h('span', {class: 'upload-name'}, file.name), bar, state);
  const set = (name, text, fraction) => {
    row.dataset.state = name;
    replace(state, text);
    if (fraction === null) bar.removeAttribute('value');
    else if (fraction !== undefined) bar.value = fraction;
  };
  return {row, set};
}

async function follow(jobId, set) {
  for (;;) {
    const job = await get(`/api/jobs/${jobId}`);
    const doc = job.document;
    switch (job.state) {
      case 'stored':
        set('stored', ['stored as ', h('a', {href: `#/doc/${doc}`}, `document ${doc}`)], 1);
        return;
      case 'duplicate':
        set('duplicate', ['duplicate of ', h('a', {href: `#/doc/${doc}`}, `document ${doc}`)], 1);
        return;
      case 'failed':
        set('failed', `failed: ${job.error || 'no reason given'}`, 1);
        return;
      case 'reading':
        set('reading', job.pages ? `reading page ${Math.min(job.pages_done + 1, job.pages)} of ${job.pages}` : 'reading',
          job.pages ? job.pages_done / job.pages : null);
        break;
      default:
        set('queued', 'queued for reading', null);
    }
    await new Promise((resolve) => setTimeout(resolve, kPollMs));
  }
}

async function send(file, set) {
  try {
    set('uploading', 'uploading', 0);
    const [jobId] = await upload([file], (fraction) => set('uploading', `uploading ${Math.round(fraction * 100)}%`, fraction));
    set('queued', 'queued for reading', null);
    await follow(jobId, set);
  } catch (e) {
    set('failed', `failed: ${e.message}`, 1);
  }
}

export function showUpload(main) {
  if (!session.canEdit) {
    replace(main, h('h1', {}, 'Upload'), h('p', {}, 'Uploading needs an operator\'s account.'));
    return null;
  }
  const list = h('ol', {class: 'uploads', 'aria-label': 'Uploaded files'});
  const input = h('input', {type: 'file', name: 'file', id: 'upload-files', multiple: true,
    accept: '.pdf,.png,.jpg,.jpeg,.tif,.tiff,application/pdf,image/*', class: 'visually-hidden'});
  const zone = h('div', {class: 'drop-zone'},
    h('p', {}, 'Drop scans here (PDF, PNG, JPEG, TIFF), or'),
    h('label', {for: input.id, class: 'button primary'}, 'Choose files…'), input);

  const pending = [];
  let running = 0;
  function pump() {
    while (running < kConcurrentUploads && pending.length) {
      const {file, set} = pending.shift();
      running++;
      send(file, set).finally(() => { running--; pump(); if (!running && !pending.length) announce('All uploads done'); });
    }
  }
  function add(files) {
    for (const file of files) {
      const {row, set} = fileRow(file);
      list.append(row);
      pending.push({file, set});
    }
    announce(`${files.length} file${files.length === 1 ? '' : 's'} added`);
    pump();
  }

  input.addEventListener('change', () => { add([...input.files]); input.value = ''; });
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    add([...e.dataTransfer.files]);
  });
  replace(main, h('h1', {}, 'Upload'), zone, list);
  return null;
}
