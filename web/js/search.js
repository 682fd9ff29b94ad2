// Search: the box, the facets (one click adds or removes a filter), the results with a thumbnail
// and the snippet's hits marked, the total, paging and sort. The URL holds the query
// (#/search?q=...&sort=...&offset=...), so a search can be bookmarked and shared.
import {get, imageUrl} from './api.js';
import {h, replace, marked, announce} from './dom.js';
import {searchBox} from './search_box.js';

export const kPageSize = 20;
const kSorts = [['relevance', 'Relevance'], ['newest', 'Newest first'], ['oldest', 'Oldest first']];

export function searchHash({q = '', sort = 'relevance', offset = 0}) {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (sort !== 'relevance') params.set('sort', sort);
  if (offset > 0) params.set('offset', offset);
  const query = params.toString();
  return `#/search${query ? `?${query}` : ''}`;
}

function searchPath({q, sort, offset, limit}) {
  const params = new URLSearchParams({q, limit, offset, sort});
  return `/api/search?${params}`;
}

// The query clause a facet value filters on.
function facetClause(facet, value) {
  const quoted = /^[\p{L}\p{N}._-]+$/u.test(value) ? value : `"${value.replace(/"/g, '')}"`;
  switch (facet) {
    case 'year': return `date:${value}`;
    case 'type': case 'vendor': case 'tag': case 'review': return `${facet}:${quoted}`;
    default: return null;  // counted, but the query language has no filter for it
  }
}

function withClause(q, clause) {
  const words = q.split(/\s+/).filter(Boolean);
  return words.includes(clause) ? words.filter((w) => w !== clause).join(' ') : [...words, clause].join(' ');
}

const kFacetNames = {type: 'Type', vendor: 'Vendor', year: 'Year', tag: 'Tag', review: 'Needs review'};

const kFacetOrder = ['type', 'vendor', 'year', 'tag', 'review'];
const facetRank = (name) => (kFacetOrder.includes(name) ? kFacetOrder.indexOf(name) : kFacetOrder.length);

function facetList(facets, q, go) {
  return Object.entries(facets || {})
    .filter(([, values]) => Object.keys(values).length > 0)
    .sort(([a], [b]) => facetRank(a) - facetRank(b))
    .map(([facet, values]) => {
      const entries = Object.entries(values).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      return h('section', {class: 'facet'},
        h('h2', {}, kFacetNames[facet] || facet),
        h('ul', {}, entries.slice(0, 12).map(([value, count]) => {
          const clause = facetClause(facet, value);
          if (!clause) {
            return h('li', {class: 'facet-count'}, h('span', {}, value), h('span', {class: 'count'}, count));
          }
          const on = q.split(/\s+/).includes(clause);
          return h('li', {}, h('button', {type: 'button', class: 'facet-value', 'aria-pressed': String(on), title: value,
            onclick: () => go({q: withClause(q, clause), offset: 0})},
          h('span', {}, value || '(none)'), h('span', {class: 'count'}, count)));
        })));
    });
}

// Thumbnails are fetched when they come into view: each is a request of its own (the token
// rules out <img loading=lazy>), and a page of them must not hold up the API calls behind it.
const thumbnails = new IntersectionObserver((entries) => {
  for (const {isIntersecting, target} of entries) {
    if (!isIntersecting) continue;
    thumbnails.unobserve(target);
    imageUrl(`/api/documents/${target.dataset.thumbOf}/pages/0/image?width=160&upright=1`)
      .then((url) => { target.src = url; }, () => {});
  }
}, {rootMargin: '200px'});

function thumbnail(id) {
  const img = h('img', {alt: '', width: 80, height: 104, 'data-thumb-of': id,
    onerror: () => { img.hidden = true; }});
  thumbnails.observe(img);
  return h('div', {class: 'thumb'}, img);
}

function resultItem(result, position, state) {
  const params = new URLSearchParams({q: state.q, sort: state.sort, at: position});
  const link = `#/doc/${result.id}?${params}`;
  const title = result.title || `Document ${result.id}`;
  return h('li', {class: 'result', 'data-doc-id': result.id},
    thumbnail(result.id),
    h('div', {class: 'result-body'},
      h('h3', {}, h('a', {href: link}, title)),
      h('dl', {class: 'result-fields'},
        h('div', {}, h('dt', {}, 'Type'), h('dd', {}, result.type || '')),
        result.vendor ? h('div', {}, h('dt', {}, 'Vendor'), h('dd', {}, result.vendor)) : null,
        result.date ? h('div', {}, h('dt', {}, 'Date'), h('dd', {}, result.date)) : null,
        result.total ? h('div', {}, h('dt', {}, 'Total'),
          h('dd', {class: 'amount'}, `${result.total}${result.currency ? ` ${result.currency}` : ''}`)) : null),
      h('p', {class: 'snippet'}, marked(result.snippet || '')),
      result.all_words === false ? h('p', {class: 'hint'}, 'Has only some of the words.') : null));
}

// With no query the newest documents are listed (GET /api/documents), without facets.
function documentItem(doc, position, state) {
  const params = new URLSearchParams({q: state.q, sort: state.sort, at: position});
  const name = (doc.source || '').split(/[\\/]/).pop() || `Document ${doc.id}`;
  return h('li', {class: 'result', 'data-doc-id': doc.id},
    thumbnail(doc.id),
    h('div', {class: 'result-body'},
      h('h3', {}, h('a', {href: `#/doc/${doc.id}?${params}`}, name)),
      h('dl', {class: 'result-fields'},
        h('div', {}, h('dt', {}, 'Type'), h('dd', {}, doc.type || '')),
        h('div', {}, h('dt', {}, 'Stored'), h('dd', {}, (doc.ingested || '').replace('T', ' ').replace('Z', ''))),
        h('div', {}, h('dt', {}, 'Pages'), h('dd', {}, doc.pages ?? ''))),
      doc.needs_review ? h('span', {class: 'badge warn'}, 'needs review') : null));
}

// A page of results: {total, results, facets} for a query, {total, documents} without one.
export async function fetchResults(state, limit = kPageSize) {
  if (state.q) return get(searchPath({...state, limit}));
  const body = await get(`/api/documents?limit=${limit}&offset=${state.offset}`);
  return {total: body.total, documents: body.documents, facets: {}};
}

function pager(body, state, go) {
  const shown = (body.results || body.documents).length;
  const last = state.offset + shown;
  // Past the exact count the total is a lower bound, and a full page may have more after it.
  const exact = body.total_exact !== false;
  const more = exact ? last < body.total : shown === kPageSize;
  const of = exact ? `${body.total}` : `at least ${body.total}`;
  return h('nav', {class: 'pager', 'aria-label': 'Result pages'},
    h('button', {type: 'button', disabled: state.offset === 0,
      onclick: () => go({offset: Math.max(0, state.offset - kPageSize)})}, '‹ Previous'),
    h('span', {}, shown ? `${state.offset + 1}–${last} of ${of}` : `none after ${state.offset}`),
    h('button', {type: 'button', disabled: !more,
      onclick: () => go({offset: state.offset + kPageSize})}, 'Next ›'));
}

export async function showSearch(main, _args, params) {
  const state = {
    q: params.get('q') || '',
    sort: params.get('sort') || 'relevance',
    offset: Math.max(0, Number(params.get('offset')) || 0),
  };
  const summary = h('p', {class: 'summary', 'aria-live': 'polite'});
  const facets = h('aside', {class: 'facets', 'aria-label': 'Filters'});
  const results = h('ol', {class: 'results', 'aria-label': 'Results'});
  const paging = h('div', {class: 'paging'});
  const sort = h('select', {name: 'sort', id: 'sort',
    onchange: () => go({sort: sort.value, offset: 0})},
  kSorts.map(([value, label]) => h('option', {value, selected: value === state.sort}, label)));
  // Sorting is the search's: the list without a query is always newest first.
  const sortLabel = h('label', {class: 'sort', hidden: !state.q}, 'Sort ', sort);
  const box = searchBox(state.q, (q) => go({q, offset: 0}));

  replace(main,
    h('h1', {class: 'visually-hidden'}, 'Search'),
    box.element,
    h('div', {class: 'search-layout'},
      facets,
      h('section', {class: 'search-results', 'aria-label': 'Search results'},
        h('div', {class: 'results-head'}, summary, sortLabel),
        results, paging)));

  // A new search: the URL changes (bookmarkable, back works), the page stays.
  function go(change) {
    Object.assign(state, change);
    sortLabel.hidden = !state.q;
    box.input.value = state.q;
    history.pushState(null, '', searchHash(state));
    load();
  }

  let generation = 0;
  async function load() {
    const mine = ++generation;
    summary.textContent = 'Searching…';
    main.setAttribute('aria-busy', 'true');
    try {
      const body = await fetchResults(state);
      if (mine !== generation) return;
      box.showError(null);
      const counted = `${body.total} document${body.total === 1 ? '' : 's'}`;
      // Past the exact count (README: `total_exact`), the total is a lower bound.
      const count = body.total_exact === false ? `at least ${counted}` : counted;
      summary.textContent = state.q ? `${count} for ${state.q}` : `${count} in the archive, newest first`;
      replace(facets, facetList(body.facets, state.q, go));
      for (const img of results.querySelectorAll('[data-thumb-of]')) thumbnails.unobserve(img);
      replace(results, body.results
        ? body.results.map((r, i) => resultItem(r, state.offset + i, state))
        : body.documents.map((d, i) => documentItem(d, state.offset + i, state)));
      replace(paging, body.total > kPageSize || state.offset > 0 ? pager(body, state, go) : null);
      announce(summary.textContent);
    } catch (e) {
      if (mine !== generation) return;
      summary.textContent = '';
      replace(results);
      replace(facets);
      replace(paging);
      if (e.status === 400) box.showError(e.message);
      else summary.textContent = `Search failed: ${e.message}`;
    } finally {
      if (mine === generation) main.removeAttribute('aria-busy');
    }
  }

  load();
  if (!state.q) box.input.focus();
}
