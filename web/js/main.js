// The station's entry: the session, the navigation and the routes. Routes live in the URL's hash
// (#/search?q=...), so a search or a document can be bookmarked and shared, and the server has
// one page to serve.
import {session, setUnauthorizedHandler} from './api.js';
import {replace} from './dom.js';
import {showLogin} from './login.js';
import {showSearch} from './search.js';
import {showDocument} from './document.js';
import {showReview} from './review.js';
import {showUpload} from './upload.js';
import {showInbox} from './inbox.js';
import {showScan} from './scan.js';

const routes = {
  search: showSearch,
  doc: showDocument,
  review: showReview,
  upload: showUpload,
  inbox: showInbox,
  scan: showScan,
};

const main = document.getElementById('main');
let leaveCurrent = null;  // the shown page's clean-up (timers, key listeners)

function parseHash() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  const [name, ...rest] = path.split('/');
  return {name: name || 'search', args: rest.map(decodeURIComponent), params: new URLSearchParams(query)};
}

function showSession() {
  const signedIn = Boolean(session.token);
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('logout').hidden = !signedIn;
  const who = document.getElementById('who');
  who.hidden = !signedIn;
  who.textContent = signedIn ? `${session.user} (${session.role})` : '';
  for (const link of document.querySelectorAll('#nav [data-role=operator]')) {
    link.hidden = !session.canEdit;
  }
}

function markCurrentLink(name) {
  for (const link of document.querySelectorAll('#nav a')) {
    const current = link.getAttribute('href') === `#/${name}`;
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function route() {
  if (leaveCurrent) leaveCurrent();
  leaveCurrent = null;
  showSession();
  if (!session.token) {
    showLogin(main, () => route());
    return;
  }
  const {name, args, params} = parseHash();
  const show = routes[name] || showSearch;
  markCurrentLink(name === 'doc' ? 'search' : name);
  replace(main);
  leaveCurrent = (await show(main, args, params)) || null;
}

setUnauthorizedHandler(() => {
  session.clear();
  route();
});
document.getElementById('logout').addEventListener('click', () => {
  session.clear();
  location.hash = '#/search';
  route();
});
window.addEventListener('hashchange', route);
route();
