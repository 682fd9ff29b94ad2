// One page of a document as the archive keeps it, with boxes drawn over it: search hits
// ([data-hit]), field boxes ([data-field-box=NAME], outlined while their field is hovered or
// focused) and a form's key/value boxes ([data-pair-key=I], [data-pair-value=I], outlined
// together while their pair is). Boxes are placed in percent of the page, so they stay on their words at any zoom.
// The image is fetched scaled to the width it is shown at (in steps), never whole; its frame has
// the page's aspect ratio before it loads, so nothing moves when it arrives.
import {imageUrl} from './api.js';
import {h, replace} from './dom.js';

const kWidthStep = 400;  // image widths asked for: multiples of this, so zooming reuses images
const kZooms = [1, 1.5, 2, 3, 4];

function percentBox([x, y, w, h], page) {
  return {
    left: `${(100 * x) / page.width}%`, top: `${(100 * y) / page.height}%`,
    width: `${(100 * w) / page.width}%`, height: `${(100 * h) / page.height}%`,
  };
}

// The archive keeps a page as scanned, its words' boxes in that frame, and says how far to turn it
// clockwise to read it (rotation: 0, 90, 180, 270). The page is shown upright by turning the
// stage, boxes and all, inside a frame of the upright page's shape.
function uprightFrame(stage, page) {
  const rotation = ((page.rotation || 0) % 360 + 360) % 360;
  const sideways = rotation === 90 || rotation === 270;
  const turn = h('div', {class: 'page-turn', style: {
    aspectRatio: sideways ? `${page.height} / ${page.width}` : `${page.width} / ${page.height}`}}, stage);
  if (rotation === 0) return turn;
  Object.assign(stage.style, {position: 'absolute', transform: `rotate(${rotation}deg)`});
  if (rotation === 180) {
    Object.assign(stage.style, {inset: '0', transformOrigin: 'center'});
  } else {
    // Turned about its top left corner, then moved back into the frame.
    Object.assign(stage.style, {width: `${(100 * page.width) / page.height}%`, transformOrigin: '0 0',
      top: rotation === 90 ? '0' : '100%', left: rotation === 90 ? '100%' : '0'});
  }
  return turn;
}

// docId, pageIndex, page ({width, height, rotation}), hits [{box, word}], fields {name: {box, page}},
// pairs [{key_box, value_box, page}].
export function pageView({docId, pageIndex, page, hits = [], fields = {}, pairs = []}) {
  let zoom = 0;  // index into kZooms; 1 = the page fits the frame's width
  const img = h('img', {
    'data-page': pageIndex, alt: `Page ${pageIndex + 1}`, width: page.width, height: page.height,
    draggable: 'false',
  });
  const stage = h('div', {class: 'page-stage', style: {aspectRatio: `${page.width} / ${page.height}`}},
    img,
    hits.map((hit) => h('div', {class: 'hit', 'data-hit': hit.word || '', style: percentBox(hit.box, page),
      title: hit.word ? `hit: ${hit.word}` : 'hit'})),
    Object.entries(fields)
      .filter(([, field]) => field.box && field.page === pageIndex && field.box[2] > 0)
      .map(([name, field]) => h('div', {class: 'field-box', 'data-field-box': name,
        style: percentBox(field.box, page)})),
    pairs.flatMap((pair, i) => (pair.page !== pageIndex ? [] : [
      h('div', {class: 'pair-box key', 'data-pair-key': i, style: percentBox(pair.key_box, page)}),
      pair.value_box && pair.value_box[2] > 0
        ? h('div', {class: 'pair-box value', 'data-pair-value': i, style: percentBox(pair.value_box, page)})
        : null])));
  const turn = uprightFrame(stage, page);
  const frame = h('div', {class: 'page-frame', tabindex: 0, role: 'region',
    'aria-label': `Page ${pageIndex + 1}: arrow keys pan, + and - zoom`}, turn);
  const zoomLabel = h('output', {class: 'zoom-level', 'aria-live': 'polite'}, '100%');
  const toolbar = h('div', {class: 'page-tools', role: 'toolbar', 'aria-label': 'Zoom'},
    h('button', {type: 'button', onclick: () => setZoom(zoom - 1), 'aria-label': 'Zoom out'}, '−'),
    zoomLabel,
    h('button', {type: 'button', onclick: () => setZoom(zoom + 1), 'aria-label': 'Zoom in'}, '+'),
    h('button', {type: 'button', onclick: () => setZoom(0)}, 'Fit width'));
  const root = h('div', {class: 'page-view'}, toolbar, frame);

  let shownWidth = 0;
  async function loadImage() {
    const needed = stage.clientWidth * (window.devicePixelRatio || 1);
    const width = Math.min(page.width, Math.ceil(needed / kWidthStep) * kWidthStep) || kWidthStep;
    if (width <= shownWidth) return;
    shownWidth = width;
    try {
      img.src = await imageUrl(`/api/documents/${docId}/pages/${pageIndex}/image?width=${width}`);
    } catch (e) {
      img.alt = `Page ${pageIndex + 1} could not be loaded: ${e.message}`;
    }
  }

  function setZoom(next) {
    const clamped = Math.max(0, Math.min(kZooms.length - 1, next));
    // Keep the middle of what is seen in the middle.
    const cx = (frame.scrollLeft + frame.clientWidth / 2) / (turn.clientWidth || 1);
    const cy = (frame.scrollTop + frame.clientHeight / 2) / (turn.clientHeight || 1);
    zoom = clamped;
    turn.style.width = `${kZooms[zoom] * 100}%`;
    zoomLabel.textContent = `${kZooms[zoom] * 100}%`;
    frame.scrollLeft = cx * turn.clientWidth - frame.clientWidth / 2;
    frame.scrollTop = cy * turn.clientHeight - frame.clientHeight / 2;
    loadImage();
  }

  frame.addEventListener('keydown', (event) => {
    if (event.key === '+' || event.key === '=') setZoom(zoom + 1);
    else if (event.key === '-') setZoom(zoom - 1);
    else return;
    event.preventDefault();
  });
  frame.addEventListener('wheel', (event) => {
    if (!event.ctrlKey) return;
    event.preventDefault();
    setZoom(zoom + (event.deltaY < 0 ? 1 : -1));
  }, {passive: false});
  // Pan by dragging.
  frame.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    const start = {x: event.clientX, y: event.clientY, left: frame.scrollLeft, top: frame.scrollTop};
    frame.setPointerCapture(event.pointerId);
    frame.classList.add('panning');
    const move = (e) => {
      frame.scrollLeft = start.left - (e.clientX - start.x);
      frame.scrollTop = start.top - (e.clientY - start.y);
    };
    const up = () => {
      frame.classList.remove('panning');
      frame.removeEventListener('pointermove', move);
      frame.removeEventListener('pointerup', up);
    };
    frame.addEventListener('pointermove', move);
    frame.addEventListener('pointerup', up);
  });

  return {
    element: root,
    // Call once the view is in the document (its width is known then).
    start() {
      new ResizeObserver(() => loadImage()).observe(stage);
      loadImage();
      // The first hit in view, scrolling the frame alone (not the window).
      const firstHit = stage.querySelector('[data-hit]');
      if (firstHit) frame.scrollTop = firstHit.offsetTop - frame.clientHeight / 3;
    },
    // Outlines a field's box (or none) and brings it into view.
    showField(name) {
      for (const box of stage.querySelectorAll('[data-field-box]')) {
        box.classList.toggle('shown', box.dataset.fieldBox === name);
      }
      scrollTo(name && stage.querySelector(`[data-field-box="${CSS.escape(name)}"]`));
    },
    // Outlines a pair's key and value boxes (or none: -1) and brings the key into view.
    showPair(index) {
      for (const box of stage.querySelectorAll('.pair-box')) {
        box.classList.toggle('shown', Number(box.dataset.pairKey ?? box.dataset.pairValue) === index);
      }
      scrollTo(stage.querySelector(`[data-pair-key="${index}"]`));
    },
  };

  // Scrolls the frame (not the window) to a box out of view.
  function scrollTo(box) {
    if (!box) return;
    const top = box.offsetTop - frame.clientHeight / 3;
    if (box.offsetTop < frame.scrollTop || box.offsetTop + box.offsetHeight > frame.scrollTop + frame.clientHeight) {
      frame.scrollTo({top, behavior: 'smooth'});
    }
  }
}

// A box of the page as scanned, in the upright page's frame (see uprightFrame).
function uprightBox([x, y, w, h], page) {
  switch (((page.rotation || 0) % 360 + 360) % 360) {
    case 90: return {box: [page.height - y - h, x, h, w], width: page.height, height: page.width};
    case 180: return {box: [page.width - x - w, page.height - y - h, w, h], width: page.width, height: page.height};
    case 270: return {box: [y, page.width - x - w, h, w], width: page.height, height: page.width};
    default: return {box: [x, y, w, h], width: page.width, height: page.height};
  }
}

// A crop of a page around a box, for the review queue: the upright page scaled so the box's
// region fills the crop's width, shown through a window of fixed height.
export function pageCrop({docId, page, box, pageIndex, width = 520, height = 110}) {
  const upright = uprightBox(box, page);
  const [x, y, w, hgt] = upright.box;
  const pad = Math.max(hgt * 0.4, 20);
  // Wide enough for the label printed left of the value ("Total (USD)  $1,658.31").
  const regionW = Math.min(upright.width, Math.max(w * 2.5 + 2 * pad, 900));
  const scale = width / regionW;
  const left = Math.max(0, Math.min(upright.width - regionW, x + w + pad - regionW)) * scale;
  const top = Math.max(0, (y + hgt / 2) * scale - height / 2);
  const img = h('img', {alt: '', width: page.width, height: page.height});
  const turn = uprightFrame(h('div', {class: 'page-stage', style: {aspectRatio: `${page.width} / ${page.height}`}}, img), page);
  Object.assign(turn.style, {width: `${upright.width * scale}px`, transform: `translate(${-left}px, ${-top}px)`});
  const mark = h('div', {class: 'crop-mark', style: {
    left: `${x * scale - left}px`, top: `${y * scale - top}px`,
    width: `${w * scale}px`, height: `${hgt * scale}px`}});
  const needed = page.width * scale * (window.devicePixelRatio || 1);
  const fetchWidth = Math.min(page.width, Math.ceil(needed / kWidthStep) * kWidthStep);
  imageUrl(`/api/documents/${docId}/pages/${pageIndex}/image?width=${fetchWidth}`)
    .then((url) => { img.src = url; })
    .catch(() => { replace(crop, h('span', {class: 'muted'}, 'page image unavailable')); });
  const crop = h('div', {class: 'crop', style: {width: `${width}px`, height: `${height}px`}}, turn, mark);
  return crop;
}
