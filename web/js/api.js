// The station's only way to the archive: the JSON API of DESIGN.md ("HTTP API"), with the
// session's bearer token. Everything the page does can be scripted with the same requests.

const kTokenKey = 'quire.token';
const kRoleKey = 'quire.role';
const kUserKey = 'quire.user';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const session = {
  get token() { return sessionStorage.getItem(kTokenKey); },
  get role() { return sessionStorage.getItem(kRoleKey) || 'viewer'; },
  get user() { return sessionStorage.getItem(kUserKey) || ''; },
  // Operators and admins change things; viewers only read.
  get canEdit() { return this.role === 'operator' || this.role === 'admin'; },
  save(user, token, role) {
    sessionStorage.setItem(kUserKey, user);
    sessionStorage.setItem(kTokenKey, token);
    sessionStorage.setItem(kRoleKey, role);
  },
  clear() {
    for (const key of [kTokenKey, kRoleKey, kUserKey]) sessionStorage.removeItem(key);
  },
};

// Called when the server says the token is no longer good (401).
let onUnauthorized = () => {};
export function setUnauthorizedHandler(handler) { onUnauthorized = handler; }

function headers(extra = {}) {
  const result = {...extra};
  if (session.token) result.Authorization = `Bearer ${session.token}`;
  return result;
}

// The server's message as an ApiError. A 401 ends the session, unless it answers a login.
async function errorOf(response, {loggingIn = false} = {}) {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body && body.error) message = body.error;
  } catch { /* not JSON: keep the status line */ }
  if (response.status === 401 && !loggingIn) onUnauthorized();
  return new ApiError(response.status, message);
}

// A JSON request; resolves to the parsed body, rejects with ApiError carrying the server's message.
export async function request(method, path, body) {
  const init = {method, headers: headers()};
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok) throw await errorOf(response);
  const text = await response.text();
  return text ? JSON.parse(text) : {};
}

export const get = (path) => request('GET', path);

export async function login(user, password) {
  const response = await fetch('/api/login', {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({user, password}),
  });
  if (!response.ok) throw await errorOf(response, {loggingIn: true});
  const {token, role} = await response.json();
  session.save(user, token, role);
}

// Uploads files as one multipart request; onProgress(fraction) as the bytes go. Resolves to the
// server's job ids, one per file in order.
export function upload(files, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const file of files) form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/documents');
    xhr.setRequestHeader('Authorization', `Bearer ${session.token}`);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onerror = () => reject(new ApiError(0, 'the upload was cut off: check the connection and try again'));
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch { /* keep {} */ }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body.jobs || []);
      if (xhr.status === 401) onUnauthorized();
      reject(new ApiError(xhr.status, body.error || `${xhr.status} ${xhr.statusText}`));
    };
    xhr.send(form);
  });
}

// An image the API serves behind the token: fetched and handed out as an object URL, since an
// <img src> cannot carry an Authorization header. Cached per URL for the page's life.
const imageUrls = new Map();
export function imageUrl(path) {
  if (!imageUrls.has(path)) {
    imageUrls.set(path, fetch(path, {headers: headers()}).then(async (response) => {
      if (!response.ok) throw await errorOf(response);
      return URL.createObjectURL(await response.blob());
    }).catch((error) => { imageUrls.delete(path); throw error; }));
  }
  return imageUrls.get(path);
}

// Downloads an API resource (original, text) under a file name, with the token.
export async function download(path, fileName) {
  const response = await fetch(path, {headers: headers()});
  if (!response.ok) throw await errorOf(response);
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), {href: url, download: fileName});
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
