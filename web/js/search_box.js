// The search box: the query language with field names suggested as they are typed (a combobox:
// arrows choose, Tab or Enter takes), and the server's syntax error shown under the box with a
// caret at the column it names.
import {h, replace} from './dom.js';

// The query language's fields (README, "Query language"), with what each one takes.
const kFields = [
  ['type:', 'invoice, receipt, form, letter, other'],
  ['vendor:', 'words of the vendor\'s name'],
  ['customer:', 'words of the customer\'s name'],
  ['number:', 'the invoice number, whole or in part'],
  ['po:', 'the purchase order number'],
  ['currency:', 'EUR, USD...'],
  ['iban:', 'the IBAN'],
  ['vat:', 'the VAT id'],
  ['tag:', 'a tag'],
  ['review:', 'yes: awaiting review, no: done'],
  ['barcode:', 'a barcode read on a page'],
  ['asn:', 'the archive serial number: 42, 100..199'],
  ['total:', 'an amount or range: >2000, 100..500'],
  ['date:', 'the invoice date: 2024-03, 2024, 2024-01-01..2024-03-31'],
  ['due:', 'the due date, as date:'],
  ['sort:', 'date, oldest or relevance'],
];

let nextId = 0;

// onSubmit(query) when the user searches.
export function searchBox(initial, onSubmit) {
  const id = `q${nextId++}`;
  const list = h('ul', {class: 'suggestions', id: `${id}-list`, role: 'listbox', hidden: true,
    'aria-label': 'Field names'});
  const input = h('input', {type: 'search', name: 'q', id, value: initial, autocomplete: 'off',
    spellcheck: 'false', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
    'aria-controls': list.id, 'aria-describedby': `${id}-error ${id}-help`,
    placeholder: 'words, "a phrase", lnvoice~, vendor:acme total:>2000 date:2024-03'});
  const error = h('div', {class: 'query-error', id: `${id}-error`, role: 'alert'});
  const help = h('p', {class: 'hint', id: `${id}-help`},
    'All words must match. ', h('code', {}, 'word~'), ' forgives OCR misreads, ',
    h('code', {}, '-word'), ' excludes, ', h('code', {}, 'OR'), ' joins; type a field name for more.');
  let options = [];
  let active = -1;

  function currentToken() {
    const upto = input.value.slice(0, input.selectionStart);
    const m = /(^|\s)-?([a-z]*)$/i.exec(upto);
    return m ? {word: m[2].toLowerCase(), start: upto.length - m[2].length} : null;
  }

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    options = [];
    active = -1;
  }

  function setActive(index) {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === active)));
    if (active >= 0) input.setAttribute('aria-activedescendant', `${id}-opt${active}`);
    else input.removeAttribute('aria-activedescendant');
  }

  function suggest() {
    const token = currentToken();
    if (!token || token.word.length === 0) return close();
    options = kFields.filter(([name]) => name.startsWith(token.word) && name !== `${token.word}:`);
    if (options.length === 0) return close();
    replace(list, options.map(([name, what], i) => h('li', {id: `${id}-opt${i}`, role: 'option',
      'aria-selected': 'false', onmousedown: (e) => { e.preventDefault(); take(i); }},
      h('code', {}, name), ' ', h('span', {class: 'muted'}, what))));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    setActive(-1);
  }

  function take(index) {
    const token = currentToken();
    const name = options[index][0];
    const before = input.value.slice(0, token.start);
    const after = input.value.slice(input.selectionStart);
    input.value = before + name + after;
    const caret = before.length + name.length;
    input.setSelectionRange(caret, caret);
    close();
  }

  input.addEventListener('input', () => { showError(null); suggest(); });
  input.addEventListener('blur', close);
  input.addEventListener('keydown', (event) => {
    if (list.hidden) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : -1;
      let next = active + step;  // -1 is the box itself
      if (next >= options.length) next = -1;
      if (next < -1) next = options.length - 1;
      setActive(next);
      event.preventDefault();
    } else if (active >= 0 && (event.key === 'Tab' || event.key === 'Enter')) {
      take(active);
      event.preventDefault();
    } else if (event.key === 'Tab' && options.length === 1 && !event.shiftKey) {
      // Enter alone still searches: "total" may be the word sought, not the field.
      take(0);
      event.preventDefault();
    } else if (event.key === 'Escape') {
      close();
      event.preventDefault();
    }
  });

  const form = h('form', {class: 'search-form', role: 'search'},
    h('label', {for: id, class: 'visually-hidden'}, 'Search the archive'),
    h('div', {class: 'search-row'},
      h('div', {class: 'combo'}, input, list),
      h('button', {type: 'submit', class: 'primary'}, 'Search')),
    error, help);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    close();
    onSubmit(input.value.trim());
  });

  // Shows the server's message; "at column N" puts a caret under that place of the query.
  function showError(message) {
    input.setAttribute('aria-invalid', message ? 'true' : 'false');
    if (!message) return replace(error);
    const column = /at column (\d+)/.exec(message);
    const pointer = column
      ? h('pre', {class: 'caret', 'aria-hidden': 'true'},
        input.value, '\n', ' '.repeat(Math.max(0, Number(column[1]) - 1)), '^')
      : null;
    replace(error, h('p', {}, message), pointer);
  }

  return {element: form, input, showError};
}
