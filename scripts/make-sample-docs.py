#!/usr/bin/python3
"""Generate quire's sample documents with ground truth into sample-docs/.

Run:  /usr/bin/python3 scripts/make-sample-docs.py [OUTDIR]

Needs Debian packages only (no PyPI):
    apt-get install -y --no-install-recommends \
        python3-pil python3-reportlab python3-numpy \
        fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-urw-base35
(for checking the output: tesseract-ocr, poppler-utils)

Every document NAME.EXT gets NAME.truth.json beside it:
    {"type": "invoice"|"receipt"|"form"|"letter", "text": "...", "fields": {...}}
See sample-docs/README.md (also written by this script) for the conventions.
The output is deterministic: all randomness uses seeds derived from file names,
and the PDFs are written in reportlab's invariant mode.
"""

import io
import json
import math
import os
import sys
import zlib
from datetime import date
from decimal import Decimal, ROUND_HALF_UP

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as rlcanvas

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "sample-docs")
DPI = 300

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)

# ---------------------------------------------------------------- fonts
_TT = "/usr/share/fonts/truetype/"
_URW = "/usr/share/fonts/opentype/urw-base35/"
FONTS = {
    "dv": _TT + "dejavu/DejaVuSans.ttf",
    "dv-b": _TT + "dejavu/DejaVuSans-Bold.ttf",
    "dv-i": _TT + "dejavu/DejaVuSans-Oblique.ttf",
    "dvc": _TT + "dejavu/DejaVuSansCondensed.ttf",
    "dvc-b": _TT + "dejavu/DejaVuSansCondensed-Bold.ttf",
    "dvs": _TT + "dejavu/DejaVuSerif.ttf",
    "dvs-b": _TT + "dejavu/DejaVuSerif-Bold.ttf",
    "dvs-i": _TT + "dejavu/DejaVuSerif-Italic.ttf",
    "dvm": _TT + "dejavu/DejaVuSansMono.ttf",
    "dvm-b": _TT + "dejavu/DejaVuSansMono-Bold.ttf",
    "ls": _TT + "liberation/LiberationSans-Regular.ttf",
    "ls-b": _TT + "liberation/LiberationSans-Bold.ttf",
    "ls-i": _TT + "liberation/LiberationSans-Italic.ttf",
    "lsn": _TT + "liberation/LiberationSansNarrow-Regular.ttf",
    "lsn-b": _TT + "liberation/LiberationSansNarrow-Bold.ttf",
    "lr": _TT + "liberation/LiberationSerif-Regular.ttf",
    "lr-b": _TT + "liberation/LiberationSerif-Bold.ttf",
    "lr-i": _TT + "liberation/LiberationSerif-Italic.ttf",
    "lm": _TT + "liberation/LiberationMono-Regular.ttf",
    "lm-b": _TT + "liberation/LiberationMono-Bold.ttf",
    "ns": _URW + "NimbusSans-Regular.otf",
    "ns-b": _URW + "NimbusSans-Bold.otf",
    "nn": _URW + "NimbusSansNarrow-Regular.otf",
    "nn-b": _URW + "NimbusSansNarrow-Bold.otf",
    "nm": _URW + "NimbusMonoPS-Regular.otf",
    "nm-b": _URW + "NimbusMonoPS-Bold.otf",
    "p52": _URW + "P052-Roman.otf",
    "p52-b": _URW + "P052-Bold.otf",
    "p52-i": _URW + "P052-Italic.otf",
    "gth": _URW + "URWGothic-Book.otf",
    "gth-b": _URW + "URWGothic-Demi.otf",
    "bkm": _URW + "URWBookman-Light.otf",
    "bkm-b": _URW + "URWBookman-Demi.otf",
    "c59": _URW + "C059-Roman.otf",
    "c59-b": _URW + "C059-Bold.otf",
}

_font_cache = {}


def pil_font(key, px):
    k = (key, px)
    if k not in _font_cache:
        _font_cache[k] = ImageFont.truetype(FONTS[key], px, layout_engine=ImageFont.Layout.BASIC)
    return _font_cache[k]


def text_width(s, font, size):
    """Width of s in points."""
    return pil_font(font, 1000).getlength(s) * size / 1000.0


_rl_registered = set()


def rl_font(key):
    path = FONTS[key]
    if not path.endswith(".ttf"):
        raise ValueError("font %s is not TrueType; reportlab cannot embed it" % key)
    if key not in _rl_registered:
        pdfmetrics.registerFont(TTFont("Q-" + key, path))
        _rl_registered.add(key)
    return "Q-" + key


# ---------------------------------------------------------------- colours
BLACK = (0, 0, 0)
INK = (25, 25, 25)
GREY = (90, 90, 90)
LIGHT = (200, 200, 200)
WHITE = (255, 255, 255)
PEN_BLUE = (20, 40, 140)


def lum(c):
    return int(round(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]))


def seed_of(name):
    return zlib.crc32(name.encode("utf-8"))


# ---------------------------------------------------------------- page model
class Page:
    """A page described in points (origin top-left, y down).

    Text drawn with truth=True is recorded in self.lines in call order, which is
    the reading order; join=True appends to the previous line with one space.
    """

    def __init__(self, size, color=False, bg=WHITE):
        self.w, self.h = size
        self.color = color
        self.bg = bg
        self.ops = []
        self.lines = []

    def text(self, x, y, s, font="ls", size=10, align="l", fill=INK, truth=True, join=False):
        self.ops.append(("text", x, y, s, font, size, align, fill))
        if truth:
            if join and self.lines:
                self.lines[-1] += " " + s
            else:
                self.lines.append(s)

    def row(self, y, cells, font="ls", size=10, fill=INK):
        """cells: [(x, text, align)]; recorded as one truth line."""
        first = True
        for cell in cells:
            x, s, a = cell[:3]
            f = cell[3] if len(cell) > 3 else font
            if s == "":
                continue
            self.text(x, y, s, f, size, a, fill, join=not first)
            first = False

    def line(self, x1, y1, x2, y2, w=0.5, color=INK):
        self.ops.append(("line", x1, y1, x2, y2, w, color))

    def rect(self, x, y, w, h, fill=None, outline=None, lw=0.5):
        self.ops.append(("rect", x, y, w, h, fill, outline, lw))

    def ellipse(self, x, y, w, h, fill=None, outline=None, lw=0.5):
        self.ops.append(("ellipse", x, y, w, h, fill, outline, lw))

    def poly(self, pts, fill=None, outline=None, lw=0.5):
        self.ops.append(("poly", list(pts), fill, outline, lw))

    def stroke(self, pts, w=1.0, color=INK):
        self.ops.append(("stroke", list(pts), w, color))

    def stamp(self, cx, cy, s, size=30, angle=15, color=(200, 30, 30), font="dv-b", seed=0):
        """Rubber stamp: not part of the truth text."""
        self.ops.append(("stamp", cx, cy, s, size, angle, color, font, seed))

    def para(self, x, y, width, text, font="ls", size=10, leading=None, fill=INK, justify=False):
        """Word-wrap text into lines (each a truth line); returns y below."""
        leading = leading or size * 1.35
        words = text.split()
        cur = []
        lines = []
        for wd in words:
            trial = " ".join(cur + [wd])
            if cur and text_width(trial, font, size) > width:
                lines.append(cur)
                cur = [wd]
            else:
                cur.append(wd)
        if cur:
            lines.append(cur)
        for i, ln in enumerate(lines):
            self.text(x, y, " ".join(ln), font, size, "l", fill)
            y += leading
        return y

    def checkbox(self, x, y, checked, size=9, color=PEN_BLUE, rng=None):
        """Square box with its top-left at (x, y - size + 1); X drawn as strokes."""
        top = y - size + 1
        self.rect(x, top, size, size, outline=INK, lw=0.8)
        if checked:
            j = (lambda: rng.uniform(-0.8, 0.8)) if rng is not None else (lambda: 0)
            self.stroke([(x + 1.2 + j(), top + 1 + j()), (x + size - 1.2 + j(), top + size - 1 + j())], 1.3, color)
            self.stroke([(x + size - 1 + j(), top + 1.2 + j()), (x + 1.2 + j(), top + size - 1 + j())], 1.3, color)


def bezier(p0, p1, p2, p3, n=24):
    pts = []
    for i in range(n + 1):
        t = i / n
        a = (1 - t) ** 3
        b = 3 * (1 - t) ** 2 * t
        c = 3 * (1 - t) * t * t
        d = t ** 3
        pts.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                    a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return pts


def signature(page, x, y, w, h, seed, color=PEN_BLUE):
    """A scribbled signature made of chained cubic bezier strokes in box (x, y, w, h)."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 8))
    p0 = (x, y + h * rng.uniform(0.5, 0.8))
    pts = [p0]
    step = w * 0.75 / n
    for i in range(n):
        p3 = (x + step * (i + 1) + rng.uniform(-0.15, 0.15) * step, y + h * rng.uniform(0.35, 0.85))
        c1 = (p0[0] + step * rng.uniform(0.2, 1.4), y + h * rng.uniform(-0.3, 0.4))
        c2 = (p3[0] - step * rng.uniform(-0.6, 1.2), y + h * rng.uniform(0.6, 1.3))
        pts += bezier(p0, c1, c2, p3)[1:]
        p0 = p3
    page.stroke(pts, 1.1, color)
    # second word: shorter, with a loop
    x2 = x + w * 0.45 + rng.uniform(0, w * 0.1)
    q0 = (x2, y + h * 0.7)
    pts = [q0]
    for i in range(3):
        q3 = (q0[0] + w * rng.uniform(0.08, 0.14), y + h * rng.uniform(0.4, 0.8))
        pts += bezier(q0, (q0[0] + w * 0.12, y - h * 0.1), (q3[0] - w * 0.12, y + h * 1.1), q3)[1:]
        q0 = q3
    page.stroke(pts, 1.0, color)
    # flourish underline
    u0 = (x + w * rng.uniform(0.0, 0.1), y + h * 1.0)
    u3 = (x + w * rng.uniform(0.85, 1.0), y + h * rng.uniform(0.8, 0.95))
    page.stroke(bezier(u0, (x + w * 0.4, y + h * 1.25), (x + w * 0.7, y + h * 0.7), u3), 0.9, color)


# ---------------------------------------------------------------- logos (shapes only, no text)
def logo_circles(p, x, y, s, c1, c2):
    p.ellipse(x, y, s * 0.7, s * 0.7, fill=c1)
    p.ellipse(x + s * 0.3, y + s * 0.3, s * 0.7, s * 0.7, fill=c2)


def logo_bars(p, x, y, s, c):
    for i, hgt in enumerate((0.45, 0.7, 1.0)):
        p.rect(x + i * s * 0.36, y + s * (1 - hgt), s * 0.26, s * hgt, fill=c)


def logo_diamond(p, x, y, s, c1, c2):
    p.poly([(x + s / 2, y), (x + s, y + s / 2), (x + s / 2, y + s), (x, y + s / 2)], fill=c1)
    p.poly([(x + s / 2, y + s * 0.25), (x + s * 0.75, y + s / 2), (x + s / 2, y + s * 0.75), (x + s * 0.25, y + s / 2)], fill=c2)


def logo_mountain(p, x, y, s, c1, c2):
    p.poly([(x, y + s), (x + s * 0.4, y + s * 0.2), (x + s * 0.8, y + s)], fill=c1)
    p.poly([(x + s * 0.35, y + s), (x + s * 0.7, y + s * 0.45), (x + s * 1.05, y + s)], fill=c2)
    p.ellipse(x + s * 0.7, y, s * 0.25, s * 0.25, fill=c2)


# ---------------------------------------------------------------- renderers
def render_pil(page, dpi=DPI):
    sc = dpi / 72.0
    W, H = int(round(page.w * sc)), int(round(page.h * sc))
    mode = "RGB" if page.color else "L"

    def col(c):
        if c is None:
            return None
        return tuple(c) if page.color else lum(c)

    im = Image.new(mode, (W, H), col(page.bg))
    d = ImageDraw.Draw(im)
    for op in page.ops:
        kind = op[0]
        if kind == "text":
            _, x, y, s, font, size, align, fill = op
            f = pil_font(font, max(1, int(round(size * sc))))
            anchor = {"l": "ls", "r": "rs", "c": "ms"}[align]
            d.text((x * sc, y * sc), s, font=f, fill=col(fill), anchor=anchor)
        elif kind == "line":
            _, x1, y1, x2, y2, w, c = op
            d.line([(x1 * sc, y1 * sc), (x2 * sc, y2 * sc)], fill=col(c), width=max(1, int(round(w * sc))))
        elif kind == "rect":
            _, x, y, w, h, fill, outline, lw = op
            d.rectangle([x * sc, y * sc, (x + w) * sc, (y + h) * sc], fill=col(fill), outline=col(outline),
                        width=max(1, int(round(lw * sc))) if outline else 0)
        elif kind == "ellipse":
            _, x, y, w, h, fill, outline, lw = op
            d.ellipse([x * sc, y * sc, (x + w) * sc, (y + h) * sc], fill=col(fill), outline=col(outline),
                      width=max(1, int(round(lw * sc))) if outline else 0)
        elif kind == "poly":
            _, pts, fill, outline, lw = op
            d.polygon([(a * sc, b * sc) for a, b in pts], fill=col(fill), outline=col(outline))
        elif kind == "stroke":
            _, pts, w, c = op
            d.line([(a * sc, b * sc) for a, b in pts], fill=col(c), width=max(1, int(round(w * sc))), joint="curve")
        elif kind == "stamp":
            im = _pil_stamp(im, op, sc, page.color)
            d = ImageDraw.Draw(im)
    return im


def _stamp_mask(op, sc):
    _, cx, cy, s, size, angle, color, font, seed = op
    f = pil_font(font, int(round(size * sc)))
    tw = f.getlength(s)
    pad = size * sc * 0.35
    bw, bh = int(tw + 2 * pad), int(size * sc * 1.5)
    m = Image.new("L", (bw + 20, bh + 20), 0)
    md = ImageDraw.Draw(m)
    lw = max(2, int(size * sc * 0.08))
    md.rounded_rectangle([10, 10, 10 + bw, 10 + bh], radius=int(size * sc * 0.25), outline=255, width=lw)
    md.text((10 + bw / 2, 10 + bh / 2), s, font=f, fill=255, anchor="mm")
    m = m.rotate(angle, resample=Image.BICUBIC, expand=True)
    rng = np.random.default_rng(seed)
    a = np.asarray(m).astype(np.float32) / 255.0
    noise = rng.random(a.shape).astype(np.float32)
    worn = Image.fromarray((noise * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(3))
    wn = np.asarray(worn).astype(np.float32) / 255.0
    wn = np.clip((wn - wn.mean()) * 6 + 0.85, 0.25, 1.0)
    a = a * wn * 0.85
    return a, (int(cx * sc - a.shape[1] / 2), int(cy * sc - a.shape[0] / 2))


def _pil_stamp(im, op, sc, color):
    a, (ox, oy) = _stamp_mask(op, sc)
    c = op[6]
    arr = np.asarray(im).astype(np.float32)
    h, w = a.shape
    sl = (slice(oy, oy + h), slice(ox, ox + w))
    if color:
        region = arr[sl]
        for k in range(3):
            region[..., k] = region[..., k] * (1 - a) + c[k] * a
        arr[sl] = region
    else:
        arr[sl] = arr[sl] * (1 - a) + lum(c) * a
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), im.mode)


def render_pdf(pages, path, title):
    """Vector PDF with a real text layer (TrueType fonts embedded)."""
    c = rlcanvas.Canvas(path, pagesize=(pages[0].w, pages[0].h), invariant=1, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("quire sample-docs")
    c.setCreator("scripts/make-sample-docs.py")
    for page in pages:
        c.setPageSize((page.w, page.h))
        H = page.h

        def rgb(col):
            return col[0] / 255.0, col[1] / 255.0, col[2] / 255.0

        for op in page.ops:
            kind = op[0]
            if kind == "text":
                _, x, y, s, font, size, align, fill = op
                c.setFont(rl_font(font), size)
                c.setFillColorRGB(*rgb(fill))
                if align == "l":
                    c.drawString(x, H - y, s)
                elif align == "r":
                    c.drawRightString(x, H - y, s)
                else:
                    c.drawCentredString(x, H - y, s)
            elif kind == "line":
                _, x1, y1, x2, y2, w, col = op
                c.setStrokeColorRGB(*rgb(col))
                c.setLineWidth(w)
                c.line(x1, H - y1, x2, H - y2)
            elif kind in ("rect", "ellipse"):
                _, x, y, w, h, fill, outline, lw = op
                if fill:
                    c.setFillColorRGB(*rgb(fill))
                if outline:
                    c.setStrokeColorRGB(*rgb(outline))
                    c.setLineWidth(lw)
                if kind == "rect":
                    c.rect(x, H - y - h, w, h, stroke=1 if outline else 0, fill=1 if fill else 0)
                else:
                    c.ellipse(x, H - y - h, x + w, H - y, stroke=1 if outline else 0, fill=1 if fill else 0)
            elif kind == "poly":
                _, pts, fill, outline, lw = op
                pth = c.beginPath()
                pth.moveTo(pts[0][0], H - pts[0][1])
                for a, b in pts[1:]:
                    pth.lineTo(a, H - b)
                pth.close()
                if fill:
                    c.setFillColorRGB(*rgb(fill))
                if outline:
                    c.setStrokeColorRGB(*rgb(outline))
                c.drawPath(pth, stroke=1 if outline else 0, fill=1 if fill else 0)
            elif kind == "stroke":
                _, pts, w, col = op
                c.setStrokeColorRGB(*rgb(col))
                c.setLineWidth(w)
                c.setLineCap(1)
                c.setLineJoin(1)
                pth = c.beginPath()
                pth.moveTo(pts[0][0], H - pts[0][1])
                for a, b in pts[1:]:
                    pth.lineTo(a, H - b)
                c.drawPath(pth, stroke=1, fill=0)
            elif kind == "stamp":
                raise ValueError("stamps are not supported in text-layer PDFs")
        c.showPage()
    c.save()


def image_pdf(images, path, dpi, title, quality=70):
    """Image-only PDF: each page is a JPEG (embedded as is, DCTDecode), no text layer."""
    w0, h0 = images[0].size
    c = rlcanvas.Canvas(path, pagesize=(w0 * 72.0 / dpi, h0 * 72.0 / dpi), invariant=1)
    c.setTitle(title)
    c.setCreator("scripts/make-sample-docs.py (scan)")
    for im in images:
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=quality, dpi=(dpi, dpi))
        buf.seek(0)
        pw, ph = im.size[0] * 72.0 / dpi, im.size[1] * 72.0 / dpi
        c.setPageSize((pw, ph))
        c.drawImage(ImageReader(buf), 0, 0, pw, ph)
        c.showPage()
    c.save()


# ---------------------------------------------------------------- degradations
def to_gray(im):
    return im.convert("L") if im.mode != "L" else im


def deg_skew(im, angle, fill=255):
    return to_gray(im).rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=fill)


def deg_scanlook(im, rng, angle=0.0, paper=243, noise=5.0, blur=0.6):
    """Mild scanner look: grey paper, slight blur, sensor noise, small skew."""
    g = to_gray(im)
    if angle:
        g = g.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    if blur:
        g = g.filter(ImageFilter.GaussianBlur(blur))
    a = np.asarray(g).astype(np.float32)
    a = a * (paper / 255.0)
    a += rng.normal(0, noise, a.shape)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")


def deg_speckle(im, rng, density=0.004, binarize=True):
    g = to_gray(im)
    a = np.asarray(g).copy()
    if binarize:
        a = np.where(a < 150, 0, 255).astype(np.uint8)
    r = rng.random(a.shape)
    a[r < density / 2] = 0
    a[(r >= density / 2) & (r < density)] = 255
    # a few bigger dust blobs
    h, w = a.shape
    out = Image.fromarray(a, "L")
    d = ImageDraw.Draw(out)
    for _ in range(int(w * h * 2e-6)):
        x, y = rng.integers(0, w), rng.integers(0, h)
        r0 = rng.uniform(1.5, 4.5)
        d.ellipse([x - r0, y - r0, x + r0, y + r0 * rng.uniform(0.5, 1.5)], fill=0)
    return out.convert("1", dither=Image.NONE) if binarize else out


def deg_lowcontrast(im, lo=105, hi=205):
    a = np.asarray(to_gray(im)).astype(np.float32) / 255.0
    return Image.fromarray((lo + a * (hi - lo)).astype(np.uint8), "L")


def deg_shading(im, rng, strength=0.42):
    """Uneven lighting: a diagonal gradient plus a soft vignette (phone photo / curled page)."""
    g = to_gray(im)
    a = np.asarray(g).astype(np.float32)
    h, w = a.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    grad = 1.0 - strength * (0.65 * xx / w + 0.35 * yy / h)
    cx, cy = w * 0.3, h * 0.25
    r = np.sqrt(((xx - cx) / w) ** 2 + ((yy - cy) / h) ** 2)
    vig = 1.0 - 0.35 * np.clip(r - 0.2, 0, None)
    light = grad * vig
    out = a * light + rng.normal(0, 3.0, a.shape)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "L")


def deg_lowres(im, dpi_from=DPI, dpi_to=150):
    g = to_gray(im)
    f = dpi_to / dpi_from
    return g.resize((int(round(g.size[0] * f)), int(round(g.size[1] * f))), Image.LANCZOS)


def deg_photo(im, rng, angle=-2.5):
    """Receipt photographed on a dark table: skew, border, uneven light."""
    g = to_gray(im)
    g = g.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=0)
    pad = 60
    bg = Image.new("L", (g.size[0] + 2 * pad, g.size[1] + 2 * pad), 70)
    inner = Image.new("L", im.size, 255).rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=0)
    bg.paste(g, (pad, pad), inner)
    bg = bg.filter(ImageFilter.GaussianBlur(0.7))
    return deg_shading(bg, rng, strength=0.35)


# ---------------------------------------------------------------- money / ids
D = Decimal
CENT = D("0.01")


def q(x):
    return D(x).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_dot(x):  # 1,234.56
    return "{:,.2f}".format(q(x))


def fmt_de(x):  # 1.234,56
    return fmt_dot(x).replace(",", "#").replace(".", ",").replace("#", ".")


def fmt_fr(x):  # 1 234,56
    return fmt_dot(x).replace(",", " ").replace(".", ",")


def norm_amount(x):
    return str(q(x))


def fmt_qty(x, dec=","):
    x = D(x)
    if x == x.to_integral_value():
        return str(int(x))
    s = str(x.normalize())
    return s.replace(".", dec)


def iban(country, bban):
    s = bban + country + "00"
    n = int("".join(str(int(ch, 36)) for ch in s))
    return "%s%02d%s" % (country, 98 - n % 97, bban)


def iban_valid(i):
    s = i[4:] + i[:4]
    return int("".join(str(int(ch, 36)) for ch in s)) % 97 == 1


def iban_print(i):
    return " ".join(i[k:k + 4] for k in range(0, len(i), 4))


def fr_rib_key(bank, branch, account):
    return 97 - ((89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97)


def fr_iban(bank, branch, account):
    return iban("FR", "%s%s%s%02d" % (bank, branch, account, fr_rib_key(bank, branch, account)))


def de_vat(d8):
    """German USt-IdNr: DE + 8 digits + ISO 7064 MOD 11,10 check digit."""
    p = 10
    for ch in d8:
        s = (int(ch) + p) % 10
        if s == 0:
            s = 10
        p = (2 * s) % 11
    c = 11 - p
    if c == 10:
        c = 0
    return "DE" + d8 + str(c)


def luhn_ok(num):
    tot = 0
    for i, ch in enumerate(reversed(num)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        tot += d
    return tot % 10 == 0


def siren(d8):
    for c in "0123456789":
        if luhn_ok(d8 + c):
            return d8 + c


def fr_vat(sir):
    return "FR%02d%s" % ((12 + 3 * (int(sir) % 97)) % 97, sir)


def gb_vat(d7):
    tot = sum(int(d) * w for d, w in zip(d7, range(8, 1, -1)))
    return "GB%s%02d" % (d7, (-tot) % 97)


def aba(d8):
    w = [3, 7, 1, 3, 7, 1, 3, 7]
    s = sum(int(a) * b for a, b in zip(d8, w))
    return d8 + str((10 - s % 10) % 10)


# ---------------------------------------------------------------- dates
MON_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTH_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December"]


def d_us(d):
    return d.strftime("%m/%d/%Y")


def d_de(d):
    return d.strftime("%d.%m.%Y")


def d_fr(d):
    return d.strftime("%d/%m/%Y")


def d_gb_long(d):
    return "%d %s %d" % (d.day, MON_EN[d.month - 1], d.year)


def iso(d):
    return d.isoformat()


# ---------------------------------------------------------------- invoice data helper
class Inv:
    def __init__(self, items, rate):
        self.items = [(desc, D(str(qty)), D(str(unit))) + tuple(rest) for desc, qty, unit, *rest in items]
        self.amounts = [q(qty * unit) for _, qty, unit, *_ in self.items]
        self.subtotal = sum(self.amounts, D("0.00"))
        self.rate = D(str(rate))
        self.tax = q(self.subtotal * self.rate / 100)
        self.total = self.subtotal + self.tax

    def money_fields(self, currency):
        return {"currency": currency, "subtotal": norm_amount(self.subtotal),
                "tax_amount": norm_amount(self.tax), "total": norm_amount(self.total)}


def addr_field(lines):
    return ", ".join(lines)


# ================================================================ documents
DOCS = []  # (name, type, pages, fields)


def doc(name, typ, pages, fields):
    DOCS.append({"name": name, "type": typ, "pages": pages, "fields": fields})


# ---------------------------------------------------------------- invoice-en-01: US, layout A
def invoice_en_01():
    p = Page(LETTER, color=True)
    navy = (22, 48, 99)
    vendor = "Brightline Office Supply Co."
    vaddr = ["1450 Market Street, Suite 300", "San Francisco, CA 94103"]
    inv = Inv([
        ("Copy paper, letter, 20 lb, case of 10 reams", 6, "42.99"),
        ("Toner cartridge HP 58A, black", 4, "89.50"),
        ("Ergonomic mesh office chair", 2, "249.00"),
        ("Desk organizer, bamboo", 5, "18.75"),
        ("Whiteboard markers, assorted, 12-pack", 10, "11.40"),
        ("Shredder, cross-cut, 12 sheet", 1, "139.95"),
        ("Delivery and setup", 1, "65.00"),
    ], "8.625")
    num, idate, ddate, po = "INV-2024-0387", date(2024, 3, 14), date(2024, 4, 13), "PO-88213"
    M = 54
    logo_circles(p, M, 44, 44, (232, 119, 34), navy)
    p.text(M + 56, 70, vendor, "ls-b", 20, fill=navy)
    y = 88
    for s in vaddr + ["Phone (415) 555-0182", "billing@brightline-supply.com"]:
        p.text(M + 56, y, s, "ls", 9.5, fill=GREY)
        y += 12.5
    p.text(558, 70, "INVOICE", "ls-b", 26, "r", fill=navy)
    y = 96
    for lab, val in (("Invoice No.", num), ("Invoice Date", d_us(idate)), ("Due Date", d_us(ddate)),
                     ("PO Number", po)):
        p.row(y, [(430, lab, "r", "ls-b"), (558, val, "r", "ls")], size=10)
        y += 14
    y = 190
    p.text(M, y, "BILL TO", "ls-b", 9, fill=GREY)
    p.text(320, y, "SHIP TO", "ls-b", 9, fill=GREY)
    p.line(M, y + 4, 290, y + 4, 0.5, LIGHT)
    p.line(320, y + 4, 558, y + 4, 0.5, LIGHT)
    cust = "Harborview Dental Group"
    bill = [cust, "Attn: Accounts Payable", "88 Embarcadero Center", "San Francisco, CA 94111"]
    ship = ["Harborview Dental Group", "Front Desk, 2nd Floor", "2100 Webster Street", "San Francisco, CA 94115"]
    # reading order: bill-to block, then ship-to block
    yy = y + 18
    for i, s in enumerate(bill):
        p.text(M, yy, s, "ls-b" if i == 0 else "ls", 10)
        yy += 13
    yy = y + 18
    for i, s in enumerate(ship):
        p.text(320, yy, s, "ls-b" if i == 0 else "ls", 10)
        yy += 13
    # table
    y = 285
    cols = [(M + 6, "l"), (M + 40, "l"), (390, "r"), (475, "r"), (552, "r")]
    p.rect(M, y - 14, 558 - M, 20, fill=(228, 234, 245))
    p.row(y, [(cols[0][0], "#", "l"), (cols[1][0], "Description", "l"), (cols[2][0], "Qty", "r"),
              (cols[3][0], "Unit Price", "r"), (cols[4][0], "Amount", "r")], "ls-b", 10, fill=navy)
    y += 22
    for i, ((desc, qty, unit), amt) in enumerate(zip(inv.items, inv.amounts)):
        p.row(y, [(cols[0][0], str(i + 1), "l"), (cols[1][0], desc, "l"), (cols[2][0], fmt_qty(qty), "r"),
                  (cols[3][0], fmt_dot(unit), "r"), (cols[4][0], fmt_dot(amt), "r")], "ls", 10)
        p.line(M, y + 6, 558, y + 6, 0.4, LIGHT)
        y += 21
    y += 14
    for lab, val, bold in (("Subtotal", fmt_dot(inv.subtotal), False),
                           ("Sales Tax (8.625%)", fmt_dot(inv.tax), False),
                           ("Total (USD)", "$" + fmt_dot(inv.total), True)):
        if bold:
            p.line(360, y - 12, 558, y - 12, 1.0, navy)
            y += 3
        f = "ls-b" if bold else "ls"
        p.row(y, [(475, lab, "r", f), (552, val, "r", f)], size=11 if bold else 10)
        y += 17
    p.stamp(190, y - 40, "PAID", 34, 14, (205, 35, 40), "dv-b", seed_of("en01-stamp"))
    p.text(M, 640, "Thank you for your business!", "ls-i", 11, fill=navy)
    p.line(M, 700, 558, 700, 0.5, LIGHT)
    y = 714
    for s in ("Payment terms: Net 30. A finance charge of 1.5% per month applies to overdue balances.",
              "Please pay by ACH: First Pacific Bank, ABA routing %s, account 004417829." % aba("12100035"),
              "Questions about this invoice? Contact accounts@brightline-supply.com or (415) 555-0182."):
        p.text(M, y, s, "ls", 8.5, fill=GREY)
        y += 11.5
    fields = {"vendor_name": vendor, "vendor_address": addr_field(vaddr), "customer_name": cust,
              "invoice_number": num, "invoice_date": iso(idate), "due_date": iso(ddate), "po_number": po}
    fields.update(inv.money_fields("USD"))
    doc("invoice-en-01", "invoice", [p], fields)


# ---------------------------------------------------------------- invoice-en-02: US, layout B (serif, boxed, grid)
def invoice_en_02():
    p = Page(LETTER)
    vendor = "Lone Star Audio Visual, LLC"
    vaddr = ["2200 Riverside Drive, Suite 110", "Austin, TX 78741"]
    inv = Inv([
        ("Event audio package (PA, 2 wireless mics)", 1, "850.00"),
        ("LED wash lights, per day", 8, "45.00"),
        ("Projector 6000 lm with 12 ft screen", 2, "375.00"),
        ("Audio technician, hours", "7.5", "68.00"),
        ("Lighting technician, hours", "6", "62.00"),
        ("Cable and rigging kit", 1, "120.00"),
        ("Transport, Austin metro area", 1, "95.00"),
    ], "8.25")
    num, idate, ddate = "10582", date(2024, 2, 29), date(2024, 3, 30)
    cx = 306
    p.text(cx, 62, vendor, "lr-b", 22, "c")
    p.text(cx, 79, "Sound, light and video for events", "lr-i", 11, "c", fill=GREY)
    p.text(cx, 96, vaddr[0], "lr", 10.5, "c")
    p.text(cx, 109, vaddr[1], "lr", 10.5, "c")
    p.text(cx, 122, "Tel. (512) 555-0147 · www.lonestar-av.com", "lr", 10.5, "c")
    p.line(50, 132, 562, 132, 1.6)
    p.line(50, 135.5, 562, 135.5, 0.5)
    p.text(cx, 166, "INVOICE", "lr-b", 18, "c")
    # boxes
    p.rect(50, 180, 250, 92, outline=INK, lw=0.7)
    p.rect(312, 180, 250, 92, outline=INK, lw=0.7)
    p.rect(50, 180, 250, 17, fill=(225, 225, 225), outline=INK, lw=0.7)
    p.rect(312, 180, 250, 17, fill=(225, 225, 225), outline=INK, lw=0.7)
    cust = "Cedar Park Events Inc."
    p.text(58, 192, "Bill To", "lr-b", 10.5)
    y = 212
    for s in [cust, "Attn: Maria Delgado", "1890 E Whitestone Blvd", "Cedar Park, TX 78613"]:
        p.text(58, y, s, "lr", 10.5)
        y += 14
    p.text(320, 192, "Invoice Details", "lr-b", 10.5)
    y = 212
    for lab, val in (("Invoice No.:", num), ("Invoice Date:", d_us(idate)), ("Due Date:", d_us(ddate)),
                     ("Terms:", "Net 30")):
        p.row(y, [(320, lab, "l", "lr-b"), (420, val, "l", "lr")], size=10.5)
        y += 14
    # grid table
    top = 292
    xs = [50, 330, 390, 470, 562]
    rowh = 20
    n = len(inv.items)
    p.rect(50, top, 512, rowh, fill=(225, 225, 225))
    for i in range(n + 2):
        p.line(50, top + i * rowh, 562, top + i * rowh, 0.6)
    for x in xs:
        p.line(x, top, x, top + (n + 1) * rowh, 0.6)
    y = top + 14
    p.row(y, [(56, "Description", "l", "lr-b"), (384, "Qty", "r", "lr-b"), (464, "Rate", "r", "lr-b"),
              (556, "Amount", "r", "lr-b")], size=10.5)
    for (desc, qty, unit), amt in zip(inv.items, inv.amounts):
        y += rowh
        p.row(y, [(56, desc, "l"), (384, fmt_qty(qty, "."), "r"), (464, fmt_dot(unit), "r"),
                  (556, fmt_dot(amt), "r")], "lr", 10.5)
    y = top + (n + 1) * rowh + 8
    p.rect(390, y, 172, 62, outline=INK, lw=0.6)
    p.line(390, y + 41, 562, y + 41, 0.6)
    yy = y + 15
    for lab, val, f in (("Subtotal", fmt_dot(inv.subtotal), "lr"), ("Sales Tax 8.25%", fmt_dot(inv.tax), "lr"),
                        ("Total", "$" + fmt_dot(inv.total), "lr-b")):
        if f == "lr-b":
            yy += 3
        p.row(yy, [(396, lab, "l", f), (556, val, "r", f)], size=10.5)
        yy += 17
    p.text(50, y + 14, "All amounts in USD.", "lr", 10)
    p.text(50, y + 28, "Make checks payable to Lone Star Audio Visual, LLC.", "lr", 10)
    # signature
    sy = 560
    signature(p, 62, sy - 30, 150, 26, seed_of("en02-sig"))
    p.line(50, sy + 4, 250, sy + 4, 0.6)
    p.text(50, sy + 17, "Authorized Signature", "lr-i", 10)
    p.line(50, 700, 562, 700, 0.5)
    p.text(cx, 715, "Late payments are subject to a fee of 1.5% per month. Thank you for choosing Lone Star AV!",
           "lr-i", 9, "c", fill=GREY)
    fields = {"vendor_name": vendor, "vendor_address": addr_field(vaddr), "customer_name": cust,
              "invoice_number": num, "invoice_date": iso(idate), "due_date": iso(ddate)}
    fields.update(inv.money_fields("USD"))
    doc("invoice-en-02", "invoice", [p], fields)


# ---------------------------------------------------------------- invoice-de-01: German, DIN 5008 letter layout
def invoice_de_01():
    p = Page(A4)
    vendor = "Müller & Söhne Haustechnik GmbH"
    vaddr = ["Industriestraße 14", "50667 Köln"]
    ib = iban("DE", "37050198" + "0012345678")
    vat = de_vat("27415893")
    bic = "COLSDE33XXX"
    inv = Inv([
        ("Wartung Gas-Brennwerttherme", 1, "189.00", "Stk."),
        ("Austausch Umwälzpumpe Grundfos UPM3", 1, "312.40", "Stk."),
        ("Ausdehnungsgefäß 25 l", 1, "68.90", "Stk."),
        ("Kleinmaterial (Dichtungen, Fittings)", 1, "24.35", "psch."),
        ("Monteurstunden", "3.5", "64.00", "Std."),
        ("Anfahrtspauschale", 1, "39.00", "psch."),
    ], 19)
    num, idate, ddate, po = "RE-2024-0147", date(2024, 3, 14), date(2024, 3, 28), "B-5521"
    L = 70.87  # 25 mm
    R = 595.28 - 56.7  # 20 mm right margin
    logo_diamond(p, R - 40, 36, 40, (60, 60, 60), (160, 160, 160))
    p.text(R - 50, 62, vendor, "ls-b", 17, "r")
    p.text(R - 50, 78, "Heizung · Sanitär · Klima", "ls", 10, "r", fill=GREY)
    p.text(L, 135, "%s · %s · %s" % (vendor, vaddr[0], vaddr[1]), "ls", 7.5, fill=GREY)
    p.line(L, 138, L + 240, 138, 0.4, GREY)
    cust = "Bäckerei Schneider KG"
    y = 158
    for s in [cust, "z. Hd. Herrn Thomas Schneider", "Lindenallee 3", "50933 Köln"]:
        p.text(L, y, s, "ls", 11)
        y += 14
    y = 150
    for lab, val in (("Rechnungsnummer:", num), ("Rechnungsdatum:", d_de(idate)), ("Kundennummer:", "K-10482"),
                     ("Lieferdatum:", d_de(date(2024, 3, 11))), ("Ihre Bestellung:", po)):
        p.row(y, [(355, lab, "l", "ls"), (R, val, "r", "ls")], size=10)
        y += 14
    p.text(L, 282, "Rechnung Nr. " + num, "ls-b", 13)
    p.text(L, 310, "Sehr geehrte Damen und Herren,", "ls", 10.5)
    p.text(L, 326, "für die ausgeführten Arbeiten in Ihrem Objekt Lindenallee 3 berechnen wir Ihnen:", "ls", 10.5)
    y = 356
    cols = [(L + 4, "l"), (L + 34, "l"), (345, "r"), (353, "l"), (457, "r"), (R - 4, "r")]
    p.line(L, y - 13, R, y - 13, 1.0)
    p.row(y, [(cols[0][0], "Pos.", "l"), (cols[1][0], "Bezeichnung", "l"), (cols[2][0], "Menge", "r"),
              (cols[3][0], "Einheit", "l"), (cols[4][0], "Einzelpreis", "r"), (cols[5][0], "Gesamtpreis", "r")],
          "ls-b", 10)
    p.line(L, y + 6, R, y + 6, 0.6)
    y += 22
    for i, ((desc, qty, unit, ein), amt) in enumerate(zip(inv.items, inv.amounts)):
        p.row(y, [(cols[0][0], str(i + 1), "l"), (cols[1][0], desc, "l"), (cols[2][0], fmt_qty(qty), "r"),
                  (cols[3][0], ein, "l"), (cols[4][0], fmt_de(unit) + " €", "r"),
                  (cols[5][0], fmt_de(amt) + " €", "r")], "ls", 10)
        y += 18
    p.line(L, y - 10, R, y - 10, 0.6)
    y += 6
    for lab, val, f in (("Nettobetrag", fmt_de(inv.subtotal) + " €", "ls"),
                        ("zzgl. 19 % USt.", fmt_de(inv.tax) + " €", "ls"),
                        ("Gesamtbetrag", fmt_de(inv.total) + " €", "ls-b")):
        if f == "ls-b":
            p.line(340, y - 11, R, y - 11, 0.8)
            y += 2
        p.row(y, [(345, lab, "l", f), (R - 4, val, "r", f)], size=10.5)
        y += 16
    p.line(340, y - 11, R, y - 11, 0.8)
    p.line(340, y - 9, R, y - 9, 0.8)
    y += 14
    y = p.para(L, y, R - L, "Bitte überweisen Sie den Gesamtbetrag ohne Abzug bis zum %s unter Angabe der "
                            "Rechnungsnummer auf das unten genannte Konto." % d_de(ddate), "ls", 10.5)
    y += 10
    p.text(L, y, "Mit freundlichen Grüßen", "ls", 10.5)
    signature(p, L + 4, y + 8, 120, 24, seed_of("de01-sig"), INK)
    p.text(L, y + 50, "Hans Müller, Geschäftsführer", "ls", 10.5)
    # footer, 4 columns, read column by column
    fy = 770
    p.line(L, fy - 12, R, fy - 12, 0.4, GREY)
    colsx = [L, L + 118, L + 222, L + 360]
    blocks = [
        ["Müller & Söhne", "Haustechnik GmbH", vaddr[0], vaddr[1]],
        ["Tel. 0221 555 1234", "Fax 0221 555 1235", "info@mueller-haustechnik.de"],
        ["Sparkasse KölnBonn", "IBAN " + iban_print(ib), "BIC " + bic],
        ["Geschäftsführer: Hans Müller", "Amtsgericht Köln HRB 45678", "USt-IdNr.: " + vat],
    ]
    for x, blk in zip(colsx, blocks):
        yy = fy
        for s in blk:
            p.text(x, yy, s, "ls", 7.5, fill=GREY)
            yy += 9.5
    fields = {"vendor_name": vendor, "vendor_address": addr_field(vaddr), "customer_name": cust,
              "invoice_number": num, "invoice_date": iso(idate), "due_date": iso(ddate), "po_number": po,
              "iban": ib, "bic": bic, "vat_id": vat}
    fields.update(inv.money_fields("EUR"))
    doc("invoice-de-01", "invoice", [p], fields)


# ---------------------------------------------------------------- invoice-de-02: German, grid layout, "Summe"
def invoice_de_02():
    p = Page(A4)
    vendor = "Nordlicht Druck & Medien GmbH"
    vaddr = ["Am Sandtorkai 42", "20457 Hamburg"]
    ib = iban("DE", "20050550" + "1234567890")
    vat = de_vat("81573624")
    bic = "HASPDEHHXXX"
    inv = Inv([
        ("Flyer DIN A5, 4/4-farbig, 170 g/m²", 5000, "0.038"),
        ("Visitenkarten 85 x 55 mm, 350 g/m²", 1000, "0.089"),
        ("Roll-up Banner 85 x 200 cm inkl. Tasche", 2, "79.00"),
        ("Plakate DIN A1, 135 g/m² matt", 50, "3.60"),
        ("Datencheck und Druckvorstufe", 1, "45.00"),
        ("Versand DHL Paket", 1, "12.90"),
    ], 19)
    num, idate, ddate, custno = "2024-00931", date(2024, 4, 5), date(2024, 4, 19), "20417"
    L, R = 56.7, 538.6
    logo_bars(p, L, 48, 42, (70, 70, 70))
    p.text(L + 54, 76, vendor, "gth-b", 21)
    p.text(L + 54, 92, "Offsetdruck · Digitaldruck · Großformat", "gth", 10, fill=GREY)
    p.text(L, 128, "%s · %s · %s" % ("Nordlicht Druck & Medien GmbH", vaddr[0], vaddr[1]), "ns", 7.5, fill=GREY)
    cust = "Café Elbblick UG"
    y = 148
    for s in [cust, "Frau Jana Petersen", "Övelgönne 11", "22605 Hamburg"]:
        p.text(L, y, s, "ns", 11)
        y += 14
    p.text(L, 250, "RECHNUNG", "gth-b", 20)
    # meta grid
    gx, gy, gw = 262, 230, R - 262
    labs = ["Rechnungsnr.", "Rechnungsdatum", "Fällig am", "Kunden-Nr."]
    vals = [num, d_de(idate), d_de(ddate), custno]
    cw = gw / 4
    p.rect(gx, gy, gw, 36, outline=INK, lw=0.6)
    p.rect(gx, gy, gw, 15, fill=(225, 225, 225), outline=INK, lw=0.6)
    for i in range(1, 4):
        p.line(gx + i * cw, gy, gx + i * cw, gy + 36, 0.6)
    p.row(gy + 11, [(gx + 4 + i * cw, labs[i], "l") for i in range(4)], "ns-b", 7.5)
    p.row(gy + 30, [(gx + 4 + i * cw, vals[i], "l") for i in range(4)], "ns", 10)
    p.text(L, 292, "Ihr Auftrag vom 28.03.2024 – Leistungszeitraum April 2024", "ns", 10)
    top = 306
    xs = [L, L + 30, 330, 390, 460, R]
    n = len(inv.items)
    rowh = 19
    p.rect(L, top, R - L, rowh, fill=(215, 215, 215))
    for i in range(n + 2):
        p.line(L, top + i * rowh, R, top + i * rowh, 0.5)
    for x in xs:
        p.line(x, top, x, top + (n + 1) * rowh, 0.5)
    y = top + 13.5
    p.row(y, [(L + 4, "Pos", "l"), (L + 34, "Artikel / Leistung", "l"), (384, "Menge", "r"),
              (454, "Preis €", "r"), (R - 6, "Betrag €", "r")], "ns-b", 9.5)
    for i, ((desc, qty, unit), amt) in enumerate(zip(inv.items, inv.amounts)):
        y += rowh
        up = fmt_de(unit) if unit == unit.quantize(CENT) else str(unit).replace(".", ",")
        p.row(y, [(L + 4, str(i + 1), "l"), (L + 34, desc, "l"), (384, "{:,}".format(int(qty)).replace(",", "."), "r"),
                  (454, up, "r"), (R - 6, fmt_de(amt), "r")], "ns", 9.5)
    y = top + (n + 1) * rowh + 18
    for lab, val, f in (("Zwischensumme netto", fmt_de(inv.subtotal) + " €", "ns"),
                        ("MwSt. 19 %", fmt_de(inv.tax) + " €", "ns"),
                        ("Summe", fmt_de(inv.total) + " €", "ns-b")):
        if f == "ns-b":
            p.rect(330, y - 13, R - 330, 19, fill=(225, 225, 225))
        p.row(y, [(336, lab, "l", f), (R - 6, val, "r", f)], size=10.5 if f == "ns-b" else 10)
        y += 19
    p.stamp(170, y - 30, "BEZAHLT", 26, -12, (60, 60, 140), "dv-b", seed_of("de02-stamp"))
    y += 20
    y = p.para(L, y, R - L, "Zahlungsbedingungen: zahlbar innerhalb von 14 Tagen ohne Abzug. "
                            "Die gelieferte Ware bleibt bis zur vollständigen Bezahlung unser Eigentum.", "ns", 10)
    p.text(L, y + 8, "Vielen Dank für Ihren Auftrag!", "ns-b", 10)
    fy = 772
    p.line(L, fy - 12, R, fy - 12, 0.5)
    for i, s in enumerate(["Nordlicht Druck & Medien GmbH · %s · %s · Tel. 040 3890 7710" % tuple(vaddr),
                           "Hamburger Sparkasse · IBAN %s · BIC %s" % (iban_print(ib), bic),
                           "Geschäftsführerin: Ines Vogt · Registergericht Hamburg HRB 154872 · USt-IdNr. %s" % vat]):
        p.text((L + R) / 2, fy + i * 10.5, s, "ns", 8, "c", fill=GREY)
    fields = {"vendor_name": vendor, "vendor_address": addr_field(vaddr), "customer_name": cust,
              "invoice_number": num, "invoice_date": iso(idate), "due_date": iso(ddate),
              "iban": ib, "bic": bic, "vat_id": vat}
    fields.update(inv.money_fields("EUR"))
    doc("invoice-de-02", "invoice", [p], fields)


# ---------------------------------------------------------------- invoice-fr-01: French, serif
def invoice_fr_01():
    p = Page(A4)
    vendor = "Atelier Lumière SARL"
    vaddr = ["12 rue des Tanneurs", "69002 Lyon"]
    sir = siren("81234567")
    vat = fr_vat(sir)
    ib = fr_iban("30004", "01234", "00012345678")
    bic = "BNPAFRPPLYO"
    inv = Inv([
        ("Suspension laiton « Opaline » Ø 40 cm", 4, "189.00"),
        ("Applique murale noire mate", 6, "74.50"),
        ("Ampoule LED filament E27 2700 K", 24, "8.90"),
        ("Variateur encastrable 300 W", 3, "42.00"),
        ("Pose et raccordement (forfait)", 1, "380.00"),
    ], 20)
    num, idate, ddate, po = "F2024-0312", date(2024, 3, 14), date(2024, 4, 13), "CMD-7781"
    L, R = 56.7, 538.6
    logo_circles(p, L, 42, 42, (120, 120, 120), (40, 40, 40))
    p.text(L + 54, 66, vendor, "dvs-b", 19)
    y = 82
    for s in vaddr + ["Tél. 04 78 55 12 90", "contact@atelier-lumiere.fr"]:
        p.text(L + 54, y, s, "dvs", 9.5, fill=GREY)
        y += 12
    p.text(R, 66, "FACTURE", "dvs-b", 24, "r")
    y = 170
    for lab, val in (("Facture n°", num), ("Date :", d_fr(idate)), ("Échéance :", d_fr(ddate)),
                     ("Réf. commande :", po)):
        p.row(y, [(L, lab, "l", "dvs-b"), (L + 110, val, "l", "dvs")], size=10)
        y += 15
    cust = "Hôtel des Célestins"
    p.rect(320, 150, R - 320, 84, outline=INK, lw=0.6)
    p.text(330, 166, "Client :", "dvs-b", 10)
    y = 182
    for s in [cust, "M. Laurent Girard", "4 place des Célestins", "69002 Lyon"]:
        p.text(330, y, s, "dvs", 10)
        y += 13
    top = 270
    p.line(L, top, R, top, 1.0)
    p.row(top + 14, [(L + 2, "Désignation", "l"), (350, "Qté", "r"), (430, "P.U. HT", "r"), (R - 2, "Montant HT", "r")],
          "dvs-b", 9.5)
    p.line(L, top + 21, R, top + 21, 0.6)
    y = top + 38
    for (desc, qty, unit), amt in zip(inv.items, inv.amounts):
        p.row(y, [(L + 2, desc, "l"), (350, fmt_qty(qty), "r"), (430, fmt_fr(unit) + " €", "r"),
                  (R - 2, fmt_fr(amt) + " €", "r")], "dvs", 9.5)
        p.line(L, y + 6, R, y + 6, 0.3, LIGHT)
        y += 20
    y += 12
    for lab, val, f in (("Total HT", fmt_fr(inv.subtotal) + " €", "dvs"), ("TVA 20 %", fmt_fr(inv.tax) + " €", "dvs"),
                        ("Total TTC", fmt_fr(inv.total) + " €", "dvs-b")):
        if f == "dvs-b":
            p.rect(340, y - 14, R - 340, 21, fill=(230, 230, 230))
        p.row(y, [(348, lab, "l", f), (R - 4, val, "r", f)], size=10.5)
        y += 21
    y += 16
    y = p.para(L, y, R - L, "Conditions de paiement : 30 jours à compter de la date de facture, par virement "
                            "bancaire. Pas d'escompte pour paiement anticipé.", "dvs", 9.5)
    y = p.para(L, y, R - L, "En cas de retard de paiement, une pénalité égale à trois fois le taux d'intérêt "
                            "légal sera exigible, ainsi qu'une indemnité forfaitaire de 40 € pour frais de "
                            "recouvrement.", "dvs", 9.5)
    fy = 770
    p.line(L, fy - 12, R, fy - 12, 0.5)
    for i, s in enumerate(["%s au capital de 8 000 € – %s, %s – SIREN %s %s %s RCS Lyon" %
                           (vendor, vaddr[0], vaddr[1], sir[:3], sir[3:6], sir[6:]),
                           "N° TVA intracommunautaire : %s %s %s" % (vat[:2], vat[2:4], vat[4:]),
                           "IBAN : %s – BIC : %s" % (iban_print(ib), bic)]):
        p.text((L + R) / 2, fy + i * 10.5, s, "dvs", 8, "c", fill=GREY)
    fields = {"vendor_name": vendor, "vendor_address": addr_field(vaddr), "customer_name": cust,
              "invoice_number": num, "invoice_date": iso(idate), "due_date": iso(ddate), "po_number": po,
              "iban": ib, "bic": bic, "vat_id": vat}
    fields.update(inv.money_fields("EUR"))
    doc("invoice-fr-01", "invoice", [p], fields)


# ---------------------------------------------------------------- invoice-fr-02: French, sidebar stripe
def invoice_fr_02():
    p = Page(A4, color=True)
    teal = (0, 110, 120)
    vendor = "Boulangerie-Traiteur Dubois"
    vaddr = ["27 avenue Jean Jaurès", "33000 Bordeaux"]
    sir = siren("53287014")
    vat = fr_vat(sir)
    ib = fr_iban("10057", "19012", "00020045167")
    inv = Inv([
        ("Plateau de mini-viennoiseries (40 pièces)", 3, "36.00"),
        ("Plateau de canapés salés (50 pièces)", 4, "62.50"),
        ("Quiche lorraine, 8 parts", 6, "17.80"),
        ("Tarte aux pommes, 8 parts", 5, "16.40"),
        ("Livraison Bordeaux centre", 1, "25.00"),
    ], 10)
    num, idate, ddate, po = "2024-118", date(2024, 5, 3), date(2024, 5, 17), "BC 2024/77"
    p.rect(0, 0, 22, A4[1], fill=teal)
    L, R = 60, 545
    logo_mountain(p, L, 40, 40, teal, (120, 190, 195))
    p.text(L + 56, 68, vendor, "ns-b", 19, fill=teal)
    p.text(L + 56, 84, vaddr[0] + " – " + vaddr[1], "ns", 9.5, fill=GREY)
    p.text(L + 56, 96, "Tél. 05 56 44 18 02 – www.dubois-traiteur.fr", "ns", 9.5, fill=GREY)
    p.rect(360, 124, R - 360, 28, fill=teal)
    p.text(370, 143, "Facture n° " + num, "ns-b", 14, fill=WHITE)
    y = 172
    for lab, val in (("Date :", d_fr(idate)), ("Échéance :", d_fr(ddate)), ("N° de commande :", po)):
        p.row(y, [(370, lab, "l", "ns"), (R, val, "r", "ns-b")], size=10)
        y += 14
    cust = "Mairie de Talence"
    p.text(L, 140, "Facturé à", "ns-b", 9.5, fill=teal)
    y = 158
    for s in [cust, "Service Événements", "Rue du Professeur Arnozan", "33400 Talence"]:
        p.text(L, y, s, "ns", 10.5)
        y += 14
    top = 250
    p.rect(L, top, R - L, 20, fill=teal)
    p.row(top + 14, [(L + 6, "Description", "l"), (360, "Quantité", "r"), (450, "Prix unit. HT", "r"),
                     (R - 6, "Total HT", "r")], "ns-b", 9.5, fill=WHITE)
    y = top + 38
    for i, ((desc, qty, unit), amt) in enumerate(zip(inv.items, inv.amounts)):
        if i % 2 == 1:
            p.rect(L, y - 14, R - L, 20, fill=(230, 242, 243))
        p.row(y, [(L + 6, desc, "l"), (360, fmt_qty(qty), "r"), (450, fmt_fr(unit) + " €", "r"),
                  (R - 6, fmt_fr(amt) + " €", "r")], "ns", 9.5)
        y += 20
    p.line(L, y - 12, R, y - 12, 0.8, teal)
    y += 14
    for lab, val, f in (("Montant HT", fmt_fr(inv.subtotal) + " €", "ns"), ("TVA (10 %)", fmt_fr(inv.tax) + " €", "ns"),
                        ("Total TTC", fmt_fr(inv.total) + " €", "ns-b")):
        p.row(y, [(360, lab, "l", f), (R - 6, val, "r", f)], size=11 if f == "ns-b" else 10,
              fill=teal if f == "ns-b" else INK)
        y += 18
    y += 20
    p.text(L, y, "Règlement par virement sous 14 jours.", "ns", 9.5)
    p.text(L, y + 14, "IBAN : " + iban_print(ib), "ns", 9.5)
    fy = 780
    p.text((L + R) / 2, fy, "%s – EI – SIRET %s %s %s 00018 – TVA intracom. %s" %
           (vendor, sir[:3], sir[3:6], sir[6:], vat), "ns", 8, "c", fill=GREY)
    p.text((L + R) / 2, fy + 10.5, "Indemnité forfaitaire pour frais de recouvrement en cas de retard : 40 €",
           "ns", 8, "c", fill=GREY)
    fields = {"vendor_name": vendor, "vendor_address": addr_field(vaddr), "customer_name": cust,
              "invoice_number": num, "invoice_date": iso(idate), "due_date": iso(ddate), "po_number": po,
              "iban": ib, "vat_id": vat}
    fields.update(inv.money_fields("EUR"))
    doc("invoice-fr-02", "invoice", [p], fields)


# ---------------------------------------------------------------- invoice-gb-01: British, long dates, zebra
def invoice_gb_01():
    p = Page(A4)
    vendor = "Pennine Joinery Ltd"
    vaddr = ["Unit 4, Calder Works", "Sowerby Bridge", "HX6 2AB"]
    vat = gb_vat("2947318")
    ib = iban("GB", "NWBK" + "401276" + "31926819")
    bic = "NWBKGB2L"
    inv = Inv([
        ("Oak kitchen worktop, 3000 x 620 x 40 mm", 2, "285.00"),
        ("Bespoke shelving unit, painted", 1, "640.00"),
        ("Skirting board, torus, per metre", 36, "6.80"),
        ("Fitting labour, per day", 2, "220.00"),
        ("Waste removal", 1, "45.00"),
    ], 20)
    num, idate, ddate = "PJ-10423", date(2024, 3, 14), date(2024, 4, 13)
    L, R = 56.7, 538.6
    p.text(L, 70, vendor, "bkm-b", 24)
    p.line(L, 80, L + 250, 80, 2.0)
    y = 96
    for s in vaddr + ["01422 555 318 · accounts@penninejoinery.co.uk"]:
        p.text(L, y, s, "ls", 9.5, fill=GREY)
        y += 12
    p.text(R, 70, "Invoice", "bkm-b", 28, "r")
    y = 100
    for lab, val in (("Invoice Number:", num), ("Invoice Date:", d_gb_long(idate)), ("Due Date:", d_gb_long(ddate)),
                     ("VAT Reg. No.:", "GB %s %s %s" % (vat[2:5], vat[5:9], vat[9:]))):
        p.row(y, [(380, lab, "l", "ls-b"), (R, val, "r", "ls")], size=10)
        y += 14
    cust = "Mr & Mrs A. Whitaker"
    p.text(L, 190, "Invoice to:", "ls-b", 10)
    y = 206
    for s in [cust, "Holme House, 12 Rochdale Road", "Ripponden", "HX6 4JU"]:
        p.text(L, y, s, "ls", 10.5)
        y += 13.5
    top = 290
    p.rect(L, top, R - L, 20, fill=(60, 60, 60))
    p.row(top + 14, [(L + 6, "Description", "l"), (370, "Qty", "r"), (450, "Unit price", "r"), (R - 6, "Net", "r")],
          "ls-b", 10, fill=WHITE)
    y = top + 36
    for i, ((desc, qty, unit), amt) in enumerate(zip(inv.items, inv.amounts)):
        if i % 2 == 0:
            p.rect(L, y - 14, R - L, 21, fill=(238, 238, 238))
        p.row(y, [(L + 6, desc, "l"), (370, fmt_qty(qty), "r"), (450, "£" + fmt_dot(unit), "r"),
                  (R - 6, "£" + fmt_dot(amt), "r")], "ls", 10)
        y += 21
    y += 16
    for lab, val, f in (("Subtotal", "£" + fmt_dot(inv.subtotal), "ls"), ("VAT @ 20%", "£" + fmt_dot(inv.tax), "ls"),
                        ("Total GBP", "£" + fmt_dot(inv.total), "ls-b")):
        if f == "ls-b":
            p.line(360, y - 13, R, y - 13, 1.2)
            y += 2
        p.row(y, [(366, lab, "l", f), (R - 6, val, "r", f)], size=11 if f == "ls-b" else 10)
        y += 17
    p.stamp(175, y - 35, "PAID", 30, 8, (110, 110, 110), "dv-b", seed_of("gb01-stamp"))
    y += 30
    p.text(L, y, "Payment terms: 30 days from the invoice date.", "ls", 10)
    p.text(L, y + 14, "Please quote the invoice number as your payment reference.", "ls", 10)
    fy = 760
    p.line(L, fy - 14, R, fy - 14, 0.5, GREY)
    for i, s in enumerate(["Bank details: Northern Counties Bank · Sort code 40-12-76 · Account 31926819",
                           "IBAN %s · BIC %s" % (iban_print(ib), bic),
                           "Pennine Joinery Ltd · Registered in England and Wales No. 08812734 · VAT No. GB %s %s %s" %
                           (vat[2:5], vat[5:9], vat[9:])]):
        p.text(L, fy + i * 10.5, s, "ls", 8, fill=GREY)
    fields = {"vendor_name": vendor, "vendor_address": addr_field(vaddr), "customer_name": cust,
              "invoice_number": num, "invoice_date": iso(idate), "due_date": iso(ddate),
              "iban": ib, "bic": bic, "vat_id": vat}
    fields.update(inv.money_fields("GBP"))
    doc("invoice-gb-01", "invoice", [p], fields)


# ---------------------------------------------------------------- invoice-gb-02: British, TAX INVOICE, serif grid
def invoice_gb_02():
    p = Page(A4)
    vendor = "Thistle & Thorn Garden Design"
    vaddr = ["3 Mill Lane", "Bourton-on-the-Water", "Cheltenham GL54 2BY"]
    vat = gb_vat("6185204")
    inv = Inv([
        ("Garden design consultation (2 hours)", 1, "150.00"),
        ("Planting plan, rear garden", 1, "425.00"),
        ("Lavender 'Hidcote', 2 litre pots", 30, "7.95"),
        ("Box hedging, 40-50 cm, per plant", 45, "4.20"),
        ("Landscaping labour, hours", 16, "32.50"),
        ("Bark mulch, bulk bag", 3, "68.00"),
    ], 20)
    num, idate, ddate, po = "TT-2024-052", date(2024, 6, 7), date(2024, 6, 21), "4471"
    L, R = 56.7, 538.6
    p.text((L + R) / 2, 60, "TAX INVOICE", "lr-b", 18, "c")
    p.text(L, 100, vendor, "lr-b", 15)
    y = 116
    for s in vaddr + ["Tel. 01451 555 902"]:
        p.text(L, y, s, "lr", 10.5)
        y += 13.5
    p.text(L, y + 2, "VAT No. GB %s %s %s" % (vat[2:5], vat[5:9], vat[9:]), "lr", 10.5)
    cust = "The Old Rectory B&B"
    p.text(330, 100, "Invoice to:", "lr-b", 11)
    y = 116
    for s in [cust, "Church Street", "Stow-on-the-Wold", "GL54 1AA"]:
        p.text(330, y, s, "lr", 10.5)
        y += 13.5
    gy = 200
    labs = ["Invoice No.", "Date", "Due Date", "Your Ref."]
    vals = [num, d_fr(idate), d_fr(ddate), po]
    cw = (R - L) / 4
    p.rect(L, gy, R - L, 38, outline=INK, lw=0.7)
    p.line(L, gy + 17, R, gy + 17, 0.5)
    for i in range(1, 4):
        p.line(L + i * cw, gy, L + i * cw, gy + 38, 0.5)
    p.row(gy + 12.5, [(L + cw * i + cw / 2, labs[i], "c") for i in range(4)], "lr-b", 10)
    p.row(gy + 32, [(L + cw * i + cw / 2, vals[i], "c") for i in range(4)], "lr", 10.5)
    top = 262
    xs = [L, 330, 385, 460, R]
    n = len(inv.items)
    rowh = 20
    for i in range(n + 2):
        p.line(L, top + i * rowh, R, top + i * rowh, 0.5 if 0 < i < n + 1 else 0.9)
    for x in xs:
        p.line(x, top, x, top + (n + 1) * rowh, 0.5)
    y = top + 14
    p.row(y, [(L + 5, "Description", "l"), (379, "Qty", "r"), (454, "Price", "r"), (R - 5, "Amount", "r")], "lr-b", 10.5)
    for (desc, qty, unit), amt in zip(inv.items, inv.amounts):
        y += rowh
        p.row(y, [(L + 5, desc, "l"), (379, fmt_qty(qty), "r"), (454, fmt_dot(unit), "r"),
                  (R - 5, fmt_dot(amt), "r")], "lr", 10.5)
    y = top + (n + 1) * rowh + 20
    for lab, val, f in (("Net", "£" + fmt_dot(inv.subtotal), "lr"), ("VAT 20%", "£" + fmt_dot(inv.tax), "lr"),
                        ("Total", "£" + fmt_dot(inv.total), "lr-b")):
        p.row(y, [(385, lab, "l", f), (R - 5, val, "r", f)], size=11.5 if f == "lr-b" else 10.5)
        if f == "lr-b":
            p.line(380, y + 5, R, y + 5, 0.6)
            p.line(380, y + 7.5, R, y + 7.5, 0.6)
        y += 17
    y += 24
    p.text(L, y, "Payment due within 14 days of the invoice date.", "lr", 10.5)
    p.text(L, y + 15, "BACS: Cotswold Building Society, sort code 20-45-77, account 60318842.", "lr", 10.5)
    p.text(L, y + 30, "Many thanks for your custom.", "lr-i", 10.5)
    fields = {"vendor_name": vendor, "vendor_address": addr_field(vaddr), "customer_name": cust,
              "invoice_number": num, "invoice_date": iso(idate), "due_date": iso(ddate), "po_number": po,
              "vat_id": vat}
    fields.update(inv.money_fields("GBP"))
    doc("invoice-gb-02", "invoice", [p], fields)


# ---------------------------------------------------------------- invoice-en-03: two pages (TTF only: also a text PDF)
def invoice_en_03():
    vendor = "Cascade Network Solutions, Inc."
    vaddr = ["7701 Pacific Avenue, Floor 4", "Tacoma, WA 98408"]
    rng = np.random.default_rng(seed_of("en03-items"))
    catalog = [
        ("Cat6 patch cable, 1 m, blue", "4.20"), ("Cat6 patch cable, 3 m, blue", "6.10"),
        ("Cat6A patch cable, 5 m, grey", "11.40"), ("24-port patch panel, Cat6", "64.00"),
        ("Keystone jack, Cat6, white", "3.15"), ("Wall plate, 2-port, white", "2.40"),
        ("Managed switch, 24-port PoE+", "1389.00"), ("Managed switch, 48-port", "2140.00"),
        ("SFP+ transceiver, 10G SR", "89.00"), ("SFP+ direct attach cable, 2 m", "42.50"),
        ("Wireless access point, Wi-Fi 6", "419.00"), ("AP ceiling mount bracket", "18.90"),
        ("Rack shelf, 1U, vented", "39.00"), ("Cable manager, 2U horizontal", "29.50"),
        ("UPS 1500 VA, rack mount", "689.00"), ("PDU, 8 outlet, 1U", "119.00"),
        ("Fiber patch cable, LC-LC, 3 m", "21.80"), ("Velcro cable ties, roll of 25 ft", "12.99"),
        ("Server rack, 42U, 600 x 1000 mm", "1249.00"), ("Rack screws and cage nuts, 50 pk", "14.75"),
        ("Label printer tape, 12 mm", "24.60"), ("Firewall appliance, 1 Gbps", "1795.00"),
        ("Firewall security subscription, 1 yr", "640.00"), ("Console cable, USB to RJ45", "16.40"),
        ("Surge protector, 6 outlet", "27.30"), ("Network tester, Cat6", "149.00"),
        ("Punch-down tool with 110 blade", "32.80"), ("Bulk Cat6 cable, 1000 ft, plenum", "329.00"),
        ("RJ45 connectors, Cat6, 100 pk", "38.20"), ("Crimping tool, RJ45", "44.90"),
        ("Site survey, hours", "125.00"), ("Installation labor, hours", "95.00"),
        ("Configuration and testing, hours", "110.00"), ("Project management, hours", "120.00"),
    ]
    items = []
    for i in range(38):
        desc, price = catalog[i % len(catalog)]
        if i >= len(catalog):
            desc = desc.replace(", blue", ", yellow").replace(", grey", ", black").replace(", white", ", almond")
        if "hours" in desc:
            qty = int(rng.integers(4, 25))
        elif float(price) > 500:
            qty = int(rng.integers(1, 4))
        else:
            qty = int(rng.integers(2, 60))
        items.append(("NS-%04d" % (1000 + 37 * i), desc, qty, price))
    inv = Inv([(d, qn, pr, sku) for sku, d, qn, pr in items], "10.1")
    num, idate, ddate, po = "CNS-240512", date(2024, 5, 12), date(2024, 6, 11), "4500021877"
    cust = "Puget Sound Credit Union"
    M, R = 50, 562
    green = (20, 90, 60)

    def table_header(p, y):
        p.rect(M, y - 13, R - M, 18, fill=(225, 235, 228))
        p.row(y, [(M + 4, "Item", "l"), (M + 62, "Description", "l"), (400, "Qty", "r"), (480, "Unit Price", "r"),
                  (R - 4, "Amount", "r")], "dv-b", 9, fill=green)

    pages = []
    p = Page(LETTER)
    logo_mountain(p, M, 40, 38, green, (120, 170, 140))
    p.text(M + 50, 62, vendor, "dv-b", 17, fill=green)
    p.text(M + 50, 77, vaddr[0], "dv", 9, fill=GREY)
    p.text(M + 50, 89, vaddr[1], "dv", 9, fill=GREY)
    p.text(M + 50, 101, "(253) 555-0199 · ar@cascadenet.example", "dv", 9, fill=GREY)
    p.text(R, 62, "INVOICE", "dv-b", 22, "r", fill=green)
    y = 84
    for lab, val in (("Invoice No.", num), ("Invoice Date", d_us(idate)), ("Due Date", d_us(ddate)),
                     ("PO Number", po), ("Page", "1 of 2")):
        p.row(y, [(460, lab, "r", "dv-b"), (R, val, "r", "dv")], size=9)
        y += 12
    p.text(M, 160, "Bill To", "dv-b", 9, fill=green)
    y = 174
    for s in [cust, "IT Infrastructure Dept.", "1501 Market Street", "Tacoma, WA 98402"]:
        p.text(M, y, s, "dv", 9.5)
        y += 12.5
    y = 250
    table_header(p, y)
    y += 19
    split = 25
    for i in range(len(items)):
        if i == split:
            p.line(M, y - 9, R, y - 9, 0.6)
            p.text(R, y + 6, "Continued on page 2", "dv-i", 9, "r", fill=GREY)
            p.text(306, 760, "Cascade Network Solutions, Inc. · Invoice %s · Page 1 of 2" % num, "dv", 8, "c",
                   fill=GREY)
            pages.append(p)
            p = Page(LETTER)
            p.text(M, 56, vendor, "dv-b", 12, fill=green)
            p.row(56, [(R, "Invoice No. %s (continued)" % num, "r", "dv")], size=9)
            p.line(M, 64, R, 64, 0.8, green)
            y = 92
            table_header(p, y)
            y += 19
        desc, qty, unit, sku = inv.items[i]
        amt = inv.amounts[i]
        p.row(y, [(M + 4, sku, "l"), (M + 62, desc, "l"), (400, fmt_qty(qty), "r"), (480, fmt_dot(unit), "r"),
                  (R - 4, fmt_dot(amt), "r")], "dv", 9)
        p.line(M, y + 5, R, y + 5, 0.3, LIGHT)
        y += 17
    y += 14
    for lab, val, f in (("Subtotal", fmt_dot(inv.subtotal), "dv"), ("Sales Tax (10.1%)", fmt_dot(inv.tax), "dv"),
                        ("Total Due (USD)", "$" + fmt_dot(inv.total), "dv-b")):
        if f == "dv-b":
            p.line(370, y - 12, R, y - 12, 1.0, green)
            y += 2
        p.row(y, [(480, lab, "r", f), (R - 4, val, "r", f)], size=10.5 if f == "dv-b" else 9.5)
        y += 16
    y += 24
    y = p.para(M, y, R - M, "Payment terms: Net 30 days. Please reference invoice %s with your payment. "
                            "Wire or ACH to Evergreen Commerce Bank, routing %s, account 7730019245." %
               (num, aba("32507027")), "dv", 9)
    y = p.para(M, y + 4, R - M, "Hardware carries the manufacturer's warranty. Returns of unopened items within "
                                "30 days are subject to a 15% restocking fee.", "dv", 9)
    signature(p, M + 6, y + 20, 130, 24, seed_of("en03-sig"), INK)
    p.line(M, y + 50, M + 200, y + 50, 0.5)
    p.text(M, y + 62, "Received by (signature)", "dv", 8.5, fill=GREY)
    p.text(306, 760, "Cascade Network Solutions, Inc. · Invoice %s · Page 2 of 2" % num, "dv", 8, "c", fill=GREY)
    pages.append(p)
    fields = {"vendor_name": vendor, "vendor_address": addr_field(vaddr), "customer_name": cust,
              "invoice_number": num, "invoice_date": iso(idate), "due_date": iso(ddate), "po_number": po}
    fields.update(inv.money_fields("USD"))
    doc("invoice-en-03", "invoice", pages, fields)


# ---------------------------------------------------------------- receipts
RECEIPT_W = 226.8  # 80 mm


def receipt(name, font, bold, size, header, addr, meta, items, money, footer, fields, cols=40, seed=0):
    """Thermal receipt: fixed columns of a monospace/condensed font.

    items: [(left, right)] lines; money: [(label, value, bold)].
    """
    p = Page((RECEIPT_W, 2000), bg=(247, 246, 242))
    ink = (45, 45, 45)
    M = 12
    W = RECEIPT_W - 2 * M
    cx = RECEIPT_W / 2
    lh = size * 1.45
    y = 30
    for s in header:
        p.text(cx, y, s, bold, size * 1.5, "c", fill=(20, 20, 20))
        y += size * 1.8
    for s in addr:
        p.text(cx, y, s, font, size, "c", fill=ink)
        y += lh
    y += lh * 0.5
    for s in meta:
        if isinstance(s, tuple):
            p.row(y, [(M, s[0], "l"), (M + W, s[1], "r")], font, size, fill=ink)
        else:
            p.text(M, y, s, font, size, fill=ink)
        y += lh
    p.text(cx, y, "-" * cols, font, size, "c", fill=ink, truth=False)
    y += lh
    for it in items:
        left, right = it[0], it[1]
        # leading spaces indent (continuation lines); they are not part of the text
        x0 = M + (len(left) - len(left.lstrip())) * text_width(" ", font, size)
        left = left.lstrip()
        if right:
            p.row(y, [(x0, left, "l"), (M + W, right, "r")], font, size, fill=ink)
        else:
            p.text(x0, y, left, font, size, fill=ink)
        y += lh
    p.text(cx, y, "-" * cols, font, size, "c", fill=ink, truth=False)
    y += lh
    for lab, val, b in money:
        f = bold if b else font
        sz = size * 1.25 if b else size
        p.row(y, [(M, lab, "l", f), (M + W, val, "r", f)], size=sz, fill=(20, 20, 20) if b else ink)
        y += lh * (1.3 if b else 1)
    y += lh * 0.5
    for s in footer:
        p.text(cx, y, s, font, size, "c", fill=ink)
        y += lh
    # barcode-ish bars (decoration only)
    rng = np.random.default_rng(seed)
    x = M + 20
    y += 6
    while x < RECEIPT_W - M - 20:
        w = float(rng.choice([0.8, 1.2, 1.6, 2.4]))
        p.rect(x, y, w, 28, fill=(30, 30, 30))
        x += w + float(rng.choice([0.8, 1.2, 1.6]))
    y += 50
    p.h = y
    doc(name, "receipt", [p], fields)


def receipts():
    # receipt-01: US grocery, DejaVu Sans Mono
    items = [("ORGANIC BANANAS 2.31 LB", "1.59"), ("  @ 0.69 /LB", ""), ("WHOLE MILK 1 GAL", "4.29"),
             ("SOURDOUGH BREAD", "5.49"), ("LARGE EGGS 12 CT", "3.99"), ("CHEDDAR SHARP 8 OZ", "4.79"),
             ("PAPER TOWELS 6 RL", "9.99 T"), ("DISH SOAP 22 OZ", "3.49 T"), ("COFFEE DARK ROAST", "11.99")]
    sub = D("45.62")
    assert sum(D(r.split()[0]) for _, r in items if r) == sub
    tax = q((D("9.99") + D("3.49")) * D("0.0725"))
    tot = sub + tax
    receipt("receipt-01", "dvm", "dvm-b", 8.2,
            ["FRESH MARKET"], ["Store #0421", "3120 El Camino Real", "Palo Alto, CA 94306", "(650) 555-0133"],
            [("03/14/2024", "14:32"), ("REG 03 TRN 5821", "CSH 112")], items,
            [("SUBTOTAL", fmt_dot(sub), False), ("TAX 7.25%", fmt_dot(tax), False), ("TOTAL", "$" + fmt_dot(tot), True),
             ("VISA ****4417", fmt_dot(tot), False), ("CHANGE DUE", "0.00", False)],
            ["ITEMS SOLD 9", "THANK YOU FOR SHOPPING", "WITH US!"],
            {"vendor_name": "FRESH MARKET", "vendor_address": "3120 El Camino Real, Palo Alto, CA 94306",
             "invoice_date": "2024-03-14", "currency": "USD", "subtotal": norm_amount(sub),
             "tax_amount": norm_amount(tax), "total": norm_amount(tot)}, seed=1)

    # receipt-02: German supermarket, Liberation Mono, prices incl. MwSt
    its = [("Vollmilch 3,5% 1L", "1.19", "A"), ("Roggenbrot 750g", "2.49", "A"), ("Bananen", "1.78", "A"),
           ("Gouda jung Scheiben", "1.99", "A"), ("Spülmittel 500ml", "1.45", "B"), ("Apfelsaft 1,5L", "1.89", "B"),
           ("Pfand", "0.25", "B"), ("Kaffee Crema 1kg", "12.99", "A")]
    tot = sum((D(v) for _, v, _ in its), D("0"))
    gross_a = sum((D(v) for _, v, c in its if c == "A"), D("0"))
    gross_b = sum((D(v) for _, v, c in its if c == "B"), D("0"))
    tax_a = q(gross_a * 7 / 107)
    tax_b = q(gross_b * 19 / 119)
    net = tot - tax_a - tax_b
    receipt("receipt-02", "lm", "lm-b", 8.2,
            ["FRISCHEMARKT"], ["Hansen OHG", "Schulterblatt 58", "20357 Hamburg"],
            ["UST-ID-NR: DE%s" % de_vat("30582147")[2:]],
            [(n, fmt_de(D(v)) + " " + c) for n, v, c in its],
            [("SUMME EUR", fmt_de(tot), True), ("Geg. Girocard", fmt_de(tot), False),
             ("MwSt A 7%", fmt_de(tax_a), False), ("MwSt B 19%", fmt_de(tax_b), False),
             ("MwSt gesamt", fmt_de(tax_a + tax_b), False), ("Netto", fmt_de(net), False)],
            ["14.03.2024 18:05 Bon 4711", "Kasse 2 Bed. 07", "Vielen Dank für Ihren Einkauf!"],
            {"vendor_name": "Hansen OHG", "vendor_address": "Schulterblatt 58, 20357 Hamburg",
             "invoice_date": "2024-03-14", "invoice_number": "4711", "currency": "EUR",
             "subtotal": norm_amount(net), "tax_amount": norm_amount(tax_a + tax_b), "total": norm_amount(tot),
             "vat_id": de_vat("30582147")}, seed=2)

    # receipt-03: French bakery/café, Nimbus Mono, TVA 10 %
    its = [("2 x Café crème 2,80", "5,60"), ("1 x Croissant", "1,30"), ("2 x Pain au chocolat 1,40", "2,80"),
           ("1 x Baguette tradition", "1,35"), ("1 x Jus d'orange pressé", "4,50")]
    ttc = D("15.55")
    assert sum(D(v.replace(",", ".")) for _, v in its) == ttc
    tva = q(ttc * 10 / 110)
    ht = ttc - tva
    sir = siren("84419023")
    receipt("receipt-03", "nm", "nm-b", 8.6,
            ["Le Petit Fournil"], ["8 rue Sainte-Catherine", "33000 Bordeaux", "SIRET %s 00021" % sir],
            [("Le 21/03/2024", "08:47"), ("Ticket n° 000318", "Table 4")],
            its,
            [("Total HT", fmt_fr(ht), False), ("TVA 10 %", fmt_fr(tva), False), ("TOTAL TTC", fmt_fr(ttc) + " EUR", True),
             ("CB sans contact", fmt_fr(ttc), False)],
            ["Merci de votre visite", "A bientôt !"],
            {"vendor_name": "Le Petit Fournil", "vendor_address": "8 rue Sainte-Catherine, 33000 Bordeaux",
             "invoice_date": "2024-03-21", "invoice_number": "000318", "currency": "EUR",
             "subtotal": norm_amount(ht), "tax_amount": norm_amount(tva), "total": norm_amount(ttc)}, seed=3)

    # receipt-04: British café, DejaVu Sans Condensed
    its = [("Flat White", "3.40"), ("Oat Latte", "3.85"), ("Bacon Bap", "5.95"), ("Avocado Toast", "8.50"),
           ("Fruit Scone", "2.95"), ("English Breakfast Tea", "2.60")]
    tot = sum((D(v) for _, v in its), D("0"))
    vat = q(tot / 6)
    vatno = gb_vat("3385170")
    receipt("receipt-04", "dvc", "dvc-b", 9.0,
            ["The Copper Kettle"], ["21 Bridge Street", "York YO1 6DA", "VAT No: " + vatno],
            [("14 Mar 2024", "10:12"), ("Order #2291", "Till 1")],
            [(n, "£" + v) for n, v in its],
            [("TOTAL", "£" + fmt_dot(tot), True), ("Card", "£" + fmt_dot(tot), False),
             ("VAT 20% included", "£" + fmt_dot(vat), False)],
            ["Thank you, see you soon!"],
            {"vendor_name": "The Copper Kettle", "vendor_address": "21 Bridge Street, York YO1 6DA",
             "invoice_date": "2024-03-14", "invoice_number": "2291", "currency": "GBP",
             "tax_amount": norm_amount(vat), "total": norm_amount(tot), "vat_id": vatno}, seed=4)

    # receipt-05: US hardware store, Nimbus Sans Narrow
    its = [("WOOD SCREWS #8 1-1/4 100PK", "7.98"), ("  2 @ 3.99", ""), ("PAINTERS TAPE 1.88IN", "6.47"),
           ("INTERIOR PAINT SATIN 1 GAL", "38.98"), ("ROLLER COVER 3PK", "9.97"), ("PAINT TRAY LINER 5PK", "4.48"),
           ("LED BULB A19 60W 4PK", "8.97")]
    sub = sum((D(v) for _, v in its if v), D("0"))
    tax = q(sub * D("0.0825"))
    tot = sub + tax
    receipt("receipt-05", "nn", "nn-b", 9.5,
            ["MAPLE HARDWARE"], ["410 N Lamar Blvd", "Austin, TX 78703", "512-555-0176"],
            [("04/02/2024", "5:41 PM"), ("RECEIPT 0093-2287", "")],
            its,
            [("SUBTOTAL", fmt_dot(sub), False), ("SALES TAX 8.25%", fmt_dot(tax), False),
             ("TOTAL", "$" + fmt_dot(tot), True), ("MASTERCARD", fmt_dot(tot), False)],
            ["RETURNS WITHIN 90 DAYS", "WITH RECEIPT", "THANK YOU!"],
            {"vendor_name": "MAPLE HARDWARE", "vendor_address": "410 N Lamar Blvd, Austin, TX 78703",
             "invoice_date": "2024-04-02", "invoice_number": "0093-2287", "currency": "USD",
             "subtotal": norm_amount(sub), "tax_amount": norm_amount(tax), "total": norm_amount(tot)}, seed=5)


# ---------------------------------------------------------------- forms
class FormBuilder:
    def __init__(self, page, font, bold, vfont, L, R, seed):
        self.p, self.font, self.bold, self.vfont, self.L, self.R = page, font, bold, vfont, L, R
        self.fields = {}
        self.rng = np.random.default_rng(seed)

    def section(self, y, title):
        self.p.rect(self.L, y - 13, self.R - self.L, 18, fill=(215, 215, 215))
        self.p.text(self.L + 5, y, title, self.bold, 10.5)

    def field(self, x, y, label, shown, value, x2, size=10.5, first=True):
        """'Label: value' on an underline from after the label to x2; one truth key."""
        self.p.text(x, y, label + ":", self.font, 10, join=not first)
        lx = x + text_width(label + ":", self.font, 10) + 5
        self.p.line(lx, y + 3, x2, y + 3, 0.5, GREY)
        if shown:
            self.p.text(lx + 4, y - 0.5, shown, self.vfont, size, fill=PEN_BLUE, join=True)
        self.fields[label] = value

    def checks(self, x, y, label, options, chosen, first=True):
        """Group of checkboxes after a label; truth: label -> chosen option."""
        p = self.p
        p.text(x, y, label + ":", self.font, 10, join=not first)
        cx = x + text_width(label + ":", self.font, 10) + 10
        for opt in options:
            p.checkbox(cx, y, opt == chosen, 9, PEN_BLUE, self.rng)
            p.text(cx + 13, y, opt, self.font, 10, join=True)
            cx += 13 + text_width(opt, self.font, 10) + 16
        if chosen:
            self.fields[label] = chosen

    def tick(self, x, y, label, checked, first=True):
        """Standalone checkbox; truth: label -> 'X' or ''."""
        self.p.checkbox(x, y, checked, 9, PEN_BLUE, self.rng)
        self.p.text(x + 14, y, label, self.font, 10, join=not first)
        self.fields[label] = "X" if checked else ""


def form_01():
    """Motor insurance claim form (English/US)."""
    p = Page(LETTER)
    L, R = 50, 562
    fb = FormBuilder(p, "ls", "ls-b", "lm", L, R, seed_of("form01"))
    logo_diamond(p, L, 36, 34, (40, 40, 40), (170, 170, 170))
    p.text(L + 44, 54, "Evergreen Mutual Insurance Company", "ls-b", 15)
    p.text(L + 44, 68, "Claims Department · P.O. Box 4410 · Hartford, CT 06101", "ls", 9, fill=GREY)
    p.text(R, 54, "Form CL-200", "ls-b", 10, "r")
    p.text(R, 68, "rev. 01/2024", "ls", 9, "r", fill=GREY)
    p.text(306, 108, "AUTOMOBILE LOSS NOTICE / CLAIM FORM", "ls-b", 14, "c")
    p.text(306, 124, "Please print clearly and complete all sections.", "ls-i", 9.5, "c", fill=GREY)
    y = 152
    fb.section(y, "1. Policyholder")
    y += 28
    fb.field(L, y, "Policy number", "EM-4471-20938", "EM-4471-20938", 300)
    fb.field(320, y, "Claim number", "", "", R, first=False)
    y += 24
    fb.field(L, y, "Name", "Daniel R. Okafor", "Daniel R. Okafor", 360)
    fb.field(375, y, "Date of birth", "07/22/1981", "1981-07-22", R, first=False)
    y += 24
    fb.field(L, y, "Address", "58 Wethersfield Ave, Hartford, CT 06114", "58 Wethersfield Ave, Hartford, CT 06114", R)
    y += 24
    fb.field(L, y, "Phone", "(860) 555-0121", "(860) 555-0121", 280)
    fb.field(295, y, "Email", "d.okafor@example.com", "d.okafor@example.com", R, first=False)
    y += 34
    fb.section(y, "2. Vehicle")
    y += 28
    fb.field(L, y, "Year / Make / Model", "2019 Honda CR-V EX", "2019 Honda CR-V EX", 360)
    fb.field(375, y, "Plate", "AK-52190", "AK-52190", R, first=False)
    y += 24
    fb.field(L, y, "VIN", "7FARW2H53KE011842", "7FARW2H53KE011842", 360)
    fb.field(375, y, "Mileage", "48,210", "48,210", R, first=False)
    y += 34
    fb.section(y, "3. Incident")
    y += 28
    fb.field(L, y, "Date of incident", "03/09/2024", "2024-03-09", 280)
    fb.field(295, y, "Time", "5:45 PM", "5:45 PM", R, first=False)
    y += 24
    fb.field(L, y, "Location", "Intersection of Farmington Ave and Sisson Ave, Hartford",
             "Intersection of Farmington Ave and Sisson Ave, Hartford", R)
    y += 24
    fb.checks(L, y, "Type of loss", ["Collision", "Theft", "Fire", "Glass", "Other"], "Collision")
    y += 24
    fb.checks(L, y, "Police report filed", ["Yes", "No"], "Yes")
    fb.field(300, y, "Report number", "HPD-24-018832", "HPD-24-018832", R, first=False)
    y += 24
    fb.checks(L, y, "Anyone injured", ["Yes", "No"], "No")
    y += 24
    p.text(L, y, "Description of damage:", "ls", 10)
    y += 18
    desc = ["Rear bumper and tailgate dented after being hit from behind", "while stopped at a red light. Tail light (left) broken."]
    for i, s in enumerate(desc):
        p.line(L, y + 3, R, y + 3, 0.5, GREY)
        p.text(L + 6, y - 0.5, s, "lm", 10.5, fill=PEN_BLUE)
        y += 20
    fb.fields["Description of damage"] = " ".join(desc)
    p.line(L, y + 3, R, y + 3, 0.5, GREY)
    y += 36
    fb.section(y, "4. Declaration")
    y += 24
    fb.tick(L, y, "I declare that the information given is true and complete.", True)
    y += 18
    fb.tick(L, y, "I authorize the release of repair estimates to Evergreen Mutual.", True)
    y += 18
    fb.tick(L, y, "Please contact me about a rental vehicle.", False)
    y += 44
    signature(p, L + 80, y - 28, 140, 24, seed_of("form01-sig"))
    fb.field(L, y, "Signature", "", None, 300)
    del fb.fields["Signature"]
    fb.field(320, y, "Date", "03/11/2024", "2024-03-11", R, first=False)
    p.text(306, 772, "Any person who knowingly files a fraudulent claim may be guilty of a crime. Form CL-200.",
           "ls", 8, "c", fill=GREY)
    doc("form-01", "form", [p], fb.fields)


def form_02():
    """German membership / SEPA direct debit form."""
    p = Page(A4)
    L, R = 56.7, 538.6
    fb = FormBuilder(p, "dv", "dv-b", "dvm", L, R, seed_of("form02"))
    p.text(L, 62, "TSV Blau-Weiß Freiburg 1898 e. V.", "dvs-b", 16)
    p.text(L, 78, "Schwarzwaldstraße 120 · 79117 Freiburg im Breisgau", "dv", 9, fill=GREY)
    logo_circles(p, R - 40, 38, 40, (60, 60, 60), (150, 150, 150))
    p.text(L, 118, "Aufnahmeantrag und SEPA-Lastschriftmandat", "dv-b", 14)
    y = 146
    fb.section(y, "Angaben zum Mitglied")
    y += 28
    fb.field(L, y, "Name", "Wagner", "Wagner", 280)
    fb.field(295, y, "Vorname", "Lena", "Lena", R, first=False)
    y += 26
    fb.field(L, y, "Geburtsdatum", "03.11.1994", "1994-11-03", 250)
    fb.checks(265, y, "Geschlecht", ["weiblich", "männlich", "divers"], "weiblich", first=False)
    y += 26
    fb.field(L, y, "Straße, Hausnummer", "Habsburgerstraße 27", "Habsburgerstraße 27", R)
    y += 26
    fb.field(L, y, "PLZ, Ort", "79104 Freiburg", "79104 Freiburg", 330)
    fb.field(345, y, "Telefon", "0761 555 2740", "0761 555 2740", R, first=False)
    y += 26
    fb.field(L, y, "E-Mail", "lena.wagner@example.de", "lena.wagner@example.de", R)
    y += 40
    fb.section(y, "Abteilung und Beitrag")
    y += 28
    fb.checks(L, y, "Abteilung", ["Fußball", "Leichtathletik", "Schwimmen", "Tennis"], "Leichtathletik")
    y += 26
    fb.checks(L, y, "Beitragsart", ["Erwachsene (96,00 €)", "Ermäßigt (48,00 €)", "Familie (180,00 €)"],
              "Erwachsene (96,00 €)")
    y += 26
    fb.field(L, y, "Eintrittsdatum", "01.04.2024", "2024-04-01", 280)
    y += 40
    fb.section(y, "SEPA-Lastschriftmandat")
    y += 26
    y = p.para(L, y, R - L, "Ich ermächtige den TSV Blau-Weiß Freiburg 1898 e. V., Zahlungen von meinem Konto mittels "
                            "Lastschrift einzuziehen. Gläubiger-Identifikationsnummer: DE98ZZZ09999999999.", "dv", 9)
    y += 14
    ib = iban("DE", "68050101" + "0021458796")
    fb.field(L, y, "Kontoinhaber", "Lena Wagner", "Lena Wagner", R)
    y += 26
    fb.field(L, y, "IBAN", iban_print(ib), ib, 380)
    fb.field(395, y, "BIC", "FRSPDE66XXX", "FRSPDE66XXX", R, first=False)
    y += 26
    fb.field(L, y, "Kreditinstitut", "Sparkasse Freiburg-Nördlicher Breisgau", "Sparkasse Freiburg-Nördlicher Breisgau", R)
    y += 34
    fb.tick(L, y, "Ich habe die Satzung und die Datenschutzhinweise zur Kenntnis genommen.", True)
    y += 18
    fb.tick(L, y, "Ich möchte den Newsletter per E-Mail erhalten.", False)
    y += 50
    fb.field(L, y, "Ort, Datum", "Freiburg, 18.03.2024", "Freiburg, 2024-03-18", 260)
    signature(p, 330, y - 30, 140, 26, seed_of("form02-sig"))
    p.line(310, y + 3, R, y + 3, 0.5, GREY)
    p.text(310, y + 16, "Unterschrift", "dv", 9, fill=GREY)
    p.text((L + R) / 2, 790, "Vereinsregister Amtsgericht Freiburg VR 1207 · Bitte ausgefüllt an die Geschäftsstelle senden.",
           "dv", 8, "c", fill=GREY)
    doc("form-02", "form", [p], fb.fields)


def form_03():
    """Patient registration (US), boxed sections, mixed checkboxes."""
    p = Page(LETTER)
    L, R = 48, 564
    fb = FormBuilder(p, "ns", "ns-b", "nm-b", L, R, seed_of("form03"))
    logo_mountain(p, L, 34, 36, (50, 50, 50), (150, 150, 150))
    p.text(L + 48, 52, "Lakeside Family Medicine", "ns-b", 17)
    p.text(L + 48, 66, "900 N Michigan Ave, Suite 1200 · Chicago, IL 60611 · (312) 555-0190", "ns", 9, fill=GREY)
    p.text(306, 104, "NEW PATIENT REGISTRATION", "ns-b", 14, "c")
    y = 132
    fb.section(y, "Patient Information")
    y += 28
    fb.field(L, y, "Last name", "Nguyen", "Nguyen", 300)
    fb.field(315, y, "First name", "Minh Anh", "Minh Anh", R, first=False)
    y += 26
    fb.field(L, y, "Date of birth", "09/30/1976", "1976-09-30", 260)
    fb.checks(275, y, "Sex", ["Female", "Male", "Other"], "Female", first=False)
    y += 26
    fb.checks(L, y, "Marital status", ["Single", "Married", "Divorced", "Widowed"], "Married")
    y += 26
    fb.field(L, y, "Street address", "2215 W Armitage Ave, Apt 3B", "2215 W Armitage Ave, Apt 3B", R)
    y += 26
    fb.field(L, y, "City", "Chicago", "Chicago", 250)
    fb.field(265, y, "State", "IL", "IL", 360, first=False)
    fb.field(375, y, "ZIP", "60647", "60647", R, first=False)
    y += 26
    fb.field(L, y, "Cell phone", "(773) 555-0148", "(773) 555-0148", 300)
    fb.checks(315, y, "Preferred contact", ["Phone", "Text", "Email"], "Text", first=False)
    y += 40
    fb.section(y, "Insurance")
    y += 28
    fb.field(L, y, "Insurance company", "Great Lakes Health Plan", "Great Lakes Health Plan", R)
    y += 26
    fb.field(L, y, "Policy number", "GLH 774 201 935", "GLH 774 201 935", 330)
    fb.field(345, y, "Group number", "G-60219", "G-60219", R, first=False)
    y += 26
    fb.field(L, y, "Policy holder", "Minh Anh Nguyen", "Minh Anh Nguyen", 330)
    fb.checks(345, y, "Relationship", ["Self", "Spouse", "Parent"], "Self", first=False)
    y += 40
    fb.section(y, "Medical History (check all that apply)")
    y += 26
    conds = [("Asthma", False), ("Diabetes", False), ("High blood pressure", True), ("Heart disease", False),
             ("Allergies", True), ("Thyroid disorder", False)]
    for i, (c, v) in enumerate(conds):
        col = i % 3
        fb.tick(L + col * 172, y, c, v, first=(col == 0))
        if col == 2:
            y += 20
    y += 8
    fb.field(L, y, "Current medications", "Lisinopril 10 mg daily", "Lisinopril 10 mg daily", R)
    y += 26
    fb.field(L, y, "Allergies to medication", "Penicillin", "Penicillin", R)
    y += 40
    fb.section(y, "Emergency Contact")
    y += 28
    fb.field(L, y, "Contact name", "Thanh Nguyen", "Thanh Nguyen", 330)
    fb.field(345, y, "Phone", "(773) 555-0162", "(773) 555-0162", R, first=False)
    y += 44
    signature(p, L + 130, y - 30, 130, 24, seed_of("form03-sig"))
    p.text(L, y, "Patient signature:", "ns", 10)
    p.line(L + 92, y + 3, 330, y + 3, 0.5, GREY)
    fb.field(345, y, "Date", "04/03/2024", "2024-04-03", R, first=False)
    p.text(306, 768, "Lakeside Family Medicine respects your privacy. See our Notice of Privacy Practices.",
           "ns", 8, "c", fill=GREY)
    doc("form-03", "form", [p], fb.fields)


def form_04():
    """British change-of-address notification, boxed-label style."""
    p = Page(A4)
    L, R = 56.7, 538.6
    fb = FormBuilder(p, "lr", "lr-b", "dvm", L, R, seed_of("form04"))
    p.text(L, 64, "Wessex Water & Drainage plc", "lr-b", 17)
    p.text(L, 80, "Customer Services, Claverton Down, Bath BA2 7WW", "lr", 10, fill=GREY)
    logo_bars(p, R - 36, 40, 36, (80, 80, 80))
    p.text(L, 120, "Moving home? Change of address form", "lr-b", 15)
    y = p.para(L, 140, R - L, "Please complete this form in BLOCK CAPITALS and return it at least two weeks before "
                              "your moving date. All dates as DD/MM/YYYY.", "lr", 10.5)
    y += 16
    fb.section(y, "Your account")
    y += 28
    fb.field(L, y, "Account number", "7730 1829 44", "7730 1829 44", 300)
    fb.checks(315, y, "Title", ["Mr", "Mrs", "Ms", "Dr"], "Ms", first=False)
    y += 26
    fb.field(L, y, "Full name", "HANNAH E. CARTWRIGHT", "HANNAH E. CARTWRIGHT", R)
    y += 26
    fb.field(L, y, "Current address", "14 PULTENEY STREET, BATH BA2 4BR", "14 PULTENEY STREET, BATH BA2 4BR", R)
    y += 26
    fb.field(L, y, "Date you move out", "29/04/2024", "2024-04-29", 300)
    fb.field(315, y, "Final meter reading", "04127", "04127", R, first=False)
    y += 40
    fb.section(y, "Your new home")
    y += 28
    fb.field(L, y, "New address", "3 ORCHARD CLOSE, FROME BA11 2RT", "3 ORCHARD CLOSE, FROME BA11 2RT", R)
    y += 26
    fb.field(L, y, "Date you move in", "30/04/2024", "2024-04-30", 300)
    fb.checks(315, y, "Supplied by us", ["Yes", "No", "Not sure"], "Yes", first=False)
    y += 26
    fb.field(L, y, "Phone number", "07700 900 416", "07700 900 416", 300)
    fb.checks(315, y, "Pay by Direct Debit", ["Yes", "No"], "Yes", first=False)
    y += 26
    fb.field(L, y, "Number of occupants", "2", "2", 300)
    y += 40
    fb.section(y, "Declaration")
    y += 26
    fb.tick(L, y, "I confirm the details above are correct.", True)
    y += 18
    fb.tick(L, y, "Send my final bill by email instead of post.", True)
    y += 54
    signature(p, L + 70, y - 30, 140, 24, seed_of("form04-sig"), INK)
    fb.field(L, y, "Signed", "", None, 300)
    del fb.fields["Signed"]
    fb.field(315, y, "Date", "12/04/2024", "2024-04-12", R, first=False)
    p.text((L + R) / 2, 790, "Wessex Water & Drainage plc · Registered in England No. 2366648 · Form WW-CoA 03/24",
           "lr", 8, "c", fill=GREY)
    doc("form-04", "form", [p], fb.fields)


# ---------------------------------------------------------------- letters
def letter_01():
    """English business letter (TTF fonts only: also a text PDF)."""
    p = Page(LETTER)
    L, R = 72, 540
    vendor = "Harrington & Cole Architects"
    vaddr = ["415 Beacon Street", "Boston, MA 02115"]
    logo_bars(p, L, 44, 30, (90, 90, 90))
    p.text(L + 40, 64, vendor, "lr-b", 20)
    p.text(L + 40, 79, "%s · %s · (617) 555-0134 · www.harringtoncole.example" % tuple(vaddr), "lr", 9.5, fill=GREY)
    p.line(L, 90, R, 90, 0.8)
    p.text(L, 130, "March 18, 2024", "lr", 11.5)
    cust = "Ms. Rebecca Lindqvist"
    y = 166
    for s in [cust, "Facilities Director", "Northshore Community Library", "22 Lafayette Street",
              "Salem, MA 01970"]:
        p.text(L, y, s, "lr", 11.5)
        y += 14.5
    y += 20
    p.text(L, y, "Re: Library renovation, schematic design review", "lr-b", 11.5)
    y += 26
    p.text(L, y, "Dear Ms. Lindqvist,", "lr", 11.5)
    y += 22
    paras = [
        "Thank you for meeting with us on March 12 to review the schematic design for the renovation of the "
        "Northshore Community Library. We appreciated the detailed comments from your staff and the board.",
        "As agreed, we will revise the layout of the children's reading room to add a second exit, move the "
        "staff workroom next to the loading area, and study two options for the new skylight above the main hall. "
        "Updated drawings and a revised cost estimate will be sent to you by April 5.",
        "Our fee for the additional skylight study is covered by the current agreement, so no change order is "
        "needed. Please let me know if the board would like to schedule a second presentation in April.",
    ]
    for t in paras:
        y = p.para(L, y, R - L, t, "lr", 11.5, 15.5)
        y += 10
    p.text(L, y + 6, "Sincerely,", "lr", 11.5)
    signature(p, L + 4, y + 16, 150, 28, seed_of("letter01-sig"))
    p.text(L, y + 70, "Jonathan Cole, AIA", "lr", 11.5)
    p.text(L, y + 84.5, "Principal", "lr", 11.5)
    p.text(L, y + 110, "cc: Board of Trustees, Northshore Community Library", "lr", 10)
    p.text(306, 752, "Harrington & Cole Architects LLC · Licensed in Massachusetts, New Hampshire and Maine",
           "lr", 8.5, "c", fill=GREY)
    doc("letter-01", "letter", [p], {"vendor_name": vendor, "vendor_address": addr_field(vaddr),
                                     "customer_name": cust})


def letter_02():
    """German payment reminder letter (Zahlungserinnerung), DIN 5008."""
    p = Page(A4)
    L, R = 70.87, 538.6
    vendor = "Weber Elektrotechnik GmbH"
    vaddr = ["Kaiserstraße 88", "76133 Karlsruhe"]
    ib = iban("DE", "66050101" + "0108421937")
    vat = de_vat("14329870")
    p.text(R, 60, vendor, "dvs-b", 18, "r")
    p.text(R, 76, "Elektroinstallation · Smart Home · Photovoltaik", "dvs", 9.5, "r", fill=GREY)
    p.text(L, 135, "%s · %s · %s" % (vendor, vaddr[0], vaddr[1]), "dv", 7.5, fill=GREY)
    cust = "Herrn Peter Albrecht"
    y = 158
    for s in [cust, "Rosenweg 5", "76227 Karlsruhe"]:
        p.text(L, y, s, "dv", 11)
        y += 14
    p.text(R, 250, "Karlsruhe, 02.05.2024", "dv", 10.5, "r")
    p.text(L, 282, "Zahlungserinnerung zur Rechnung Nr. 2024-0388", "dv-b", 12)
    y = 312
    p.text(L, y, "Sehr geehrter Herr Albrecht,", "dv", 10.5)
    y += 22
    for t in ["sicherlich ist es Ihrer Aufmerksamkeit entgangen, dass unsere Rechnung Nr. 2024-0388 vom 28.03.2024 "
              "über 1.487,50 € noch nicht beglichen ist.",
              "Wir bitten Sie, den offenen Betrag bis zum 16.05.2024 auf unser unten genanntes Konto zu überweisen. "
              "Sollten Sie die Zahlung bereits veranlasst haben, betrachten Sie dieses Schreiben bitte als "
              "gegenstandslos.",
              "Für Rückfragen stehen wir Ihnen gerne unter 0721 555 3380 zur Verfügung."]:
        y = p.para(L, y, R - L, t, "dv", 10.5, 15)
        y += 9
    p.text(L, y + 6, "Mit freundlichen Grüßen", "dv", 10.5)
    signature(p, L + 4, y + 14, 130, 26, seed_of("letter02-sig"))
    p.text(L, y + 62, "Sabine Weber", "dv", 10.5)
    p.text(L, y + 76, "Buchhaltung", "dv", 10.5)
    fy = 775
    p.line(L, fy - 12, R, fy - 12, 0.4, GREY)
    for i, s in enumerate(["%s · %s · %s · Tel. 0721 555 3380" % (vendor, vaddr[0], vaddr[1]),
                           "Volksbank Karlsruhe · IBAN %s · BIC GENODE61KA1" % iban_print(ib),
                           "Amtsgericht Mannheim HRB 712345 · USt-IdNr. %s" % vat]):
        p.text((L + R) / 2, fy + i * 10, s, "dv", 7.5, "c", fill=GREY)
    doc("letter-02", "letter", [p], {"vendor_name": vendor, "vendor_address": addr_field(vaddr),
                                     "customer_name": cust, "iban": ib, "bic": "GENODE61KA1", "vat_id": vat})


# ================================================================ outputs
# name -> list of (suffix, kind, params); kind decides the file format.
VARIANTS = {
    "invoice-en-01": [("", "png"), ("-skew", "skew", 1.5), ("-rot90", "rot", 90)],
    "invoice-en-02": [("", "png"), ("-skew", "skew", -3.0), ("-150dpi", "lowres")],
    "invoice-de-01": [("", "png"), ("-skew", "skew", 4.5), ("-speckle", "speckle"), ("-text", "textpdf")],
    "invoice-de-02": [("", "png"), ("-rot180", "rot", 180), ("-q20", "jpeg20")],
    "invoice-fr-01": [("", "png"), ("-lowcontrast", "lowcontrast"), ("-scan", "scanpdf")],
    "invoice-fr-02": [("", "png"), ("-shading", "shading"), ("-skew", "skew", 2.5)],
    "invoice-gb-01": [("", "png"), ("-speckle", "speckle"), ("-rot270", "rot", 270)],
    "invoice-gb-02": [("", "png"), ("-skew", "skew", -4.5)],
    "invoice-en-03": [("", "tif"), ("-text", "textpdf"), ("-fax", "scantif"), ("-scan", "scanpdf")],
    "receipt-01": [("", "png"), ("-photo", "photo", -3.5)],
    "receipt-02": [("", "png"), ("-skew", "skew", 2.0)],
    "receipt-03": [("", "png"), ("-lowcontrast", "lowcontrast")],
    "receipt-04": [("", "png"), ("-photo", "photo", 4.0)],
    "receipt-05": [("", "png"), ("-speckle", "speckle")],
    "form-01": [("", "png"), ("-skew", "skew", -2.0), ("-scan", "scanpdf")],
    "form-02": [("", "png"), ("-speckle", "speckle")],
    "form-03": [("", "png"), ("-shading", "shading")],
    "form-04": [("", "png"), ("-skew", "skew", 3.0)],
    "letter-01": [("", "png"), ("-text", "textpdf"), ("-skew", "skew", -1.0)],
    "letter-02": [("", "png"), ("-q20", "jpeg20")],
}

EXT = {"png": "png", "skew": "jpg", "rot": "png", "jpeg20": "jpg", "lowres": "png", "shading": "jpg",
       "speckle": "png", "lowcontrast": "png", "textpdf": "pdf", "scanpdf": "pdf", "tif": "tif", "scantif": "tif",
       "photo": "jpg"}

DESCR = {
    "png": "clean, 300 dpi PNG",
    "skew": "scanned, skewed %+.1f°, JPEG",
    "rot": "page rotated %d° clockwise, PNG",
    "jpeg20": "heavy JPEG artefacts (quality 20)",
    "lowres": "low resolution, 150 dpi PNG",
    "shading": "uneven lighting (gradient shading), JPEG",
    "speckle": "bilevel scan with salt-and-pepper speckle, PNG",
    "lowcontrast": "low contrast (faded), PNG",
    "textpdf": "PDF with a real text layer (vector, pdftotext works)",
    "scanpdf": "image-only PDF (scanned 200 dpi JPEG pages, no text layer)",
    "tif": "clean multi-page grayscale TIFF, 300 dpi",
    "scantif": "scanned multi-page bilevel TIFF (CCITT G4), slight skew",
    "photo": "photographed on a dark table: skew %+.1f°, uneven light, JPEG",
}

LAYOUT = {
    "invoice-en-01": ("invoice", "US: MM/DD/YYYY, USD", "layout A: logo + letterhead left, meta right, ruled table, PAID stamp (colour)"),
    "invoice-en-02": ("invoice", "US: MM/DD/YYYY, USD", "layout B: centred serif letterhead, boxed blocks, grid table, signature"),
    "invoice-en-03": ("invoice", "US: MM/DD/YYYY, USD", "two pages (letter): 38 line items, totals on page 2"),
    "invoice-de-01": ("invoice", "German: DD.MM.YYYY, 1.234,56 €, IBAN/BIC/USt-IdNr.", "layout C: DIN 5008 letter, info block, 4-column footer"),
    "invoice-de-02": ("invoice", "German: DD.MM.YYYY, \"Summe\", IBAN/BIC/USt-IdNr.", "layout D: URW Gothic letterhead, meta grid, grid table, BEZAHLT stamp"),
    "invoice-fr-01": ("invoice", "French: DD/MM/YYYY, 1 234,56 €, TVA 20 %, Total TTC", "layout E: serif, client box, ruled table"),
    "invoice-fr-02": ("invoice", "French: DD/MM/YYYY, TVA 10 %, Total TTC", "layout F: coloured sidebar stripe, zebra rows (colour)"),
    "invoice-gb-01": ("invoice", "British: \"14 Mar 2024\", GBP, VAT GB", "layout G: Bookman letterhead, dark table header, zebra rows, PAID stamp"),
    "invoice-gb-02": ("invoice", "British: DD/MM/YYYY, GBP, VAT GB", "layout H: TAX INVOICE, serif, meta grid, grid table"),
    "receipt-01": ("receipt", "US, USD", "grocery, DejaVu Sans Mono"),
    "receipt-02": ("receipt", "German, EUR, MwSt A/B", "supermarket Kassenbon, Liberation Mono"),
    "receipt-03": ("receipt", "French, EUR, TVA 10 %", "bakery ticket, Nimbus Mono"),
    "receipt-04": ("receipt", "British, GBP, VAT incl.", "café, DejaVu Sans Condensed"),
    "receipt-05": ("receipt", "US, USD", "hardware store, Nimbus Sans Narrow"),
    "form-01": ("form", "US English", "motor insurance claim: underlined fields, checkboxes, signature"),
    "form-02": ("form", "German", "club membership + SEPA mandate: IBAN field, checkboxes"),
    "form-03": ("form", "US English", "patient registration: checkbox grid"),
    "form-04": ("form", "British English", "change of address: DD/MM/YYYY dates, checkboxes"),
    "letter-01": ("letter", "US English", "business letter, serif, signature"),
    "letter-02": ("letter", "German", "payment reminder (Zahlungserinnerung), DIN 5008"),
}


def write_truth(path, d):
    text = "\f".join("\n".join(pg.lines) for pg in d["pages"])
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"type": d["type"], "text": text, "fields": d["fields"]}, f, ensure_ascii=False, indent=2,
                  sort_keys=False)
        f.write("\n")


def save_png(im, path, dpi=DPI):
    im.save(path, "PNG", optimize=True, dpi=(dpi, dpi))


def zero_tiff_padding(path):
    """libtiff leaves the alignment byte before an IFD uninitialised; zero it so reruns are identical."""
    im = Image.open(path)
    ends, starts = [], set()
    for i in range(im.n_frames):
        im.seek(i)
        offs, counts = im.tag_v2[273], im.tag_v2[279]
        starts.update(offs)
        ends += [o + c for o, c in zip(offs, counts)]
    im.close()
    with open(path, "r+b") as f:
        size = os.path.getsize(path)
        for e in ends:
            if e % 2 == 1 and e < size and e not in starts:
                f.seek(e)
                f.write(b"\0")


def produce(d, rendered):
    name = d["name"]
    out = []
    for var in VARIANTS[name]:
        suffix, kind = var[0], var[1]
        arg = var[2] if len(var) > 2 else None
        fn = "%s%s.%s" % (name, suffix, EXT[kind])
        path = os.path.join(OUT, fn)
        rng = np.random.default_rng(seed_of(fn))
        im = rendered[0]
        if kind == "png":
            save_png(im, path)
        elif kind == "skew":
            g = deg_scanlook(im, rng, 0, paper=246, noise=3.0, blur=0.5)
            deg_skew(g, arg).save(path, "JPEG", quality=72, dpi=(DPI, DPI))
        elif kind == "rot":
            t = {90: Image.ROTATE_270, 180: Image.ROTATE_180, 270: Image.ROTATE_90}[arg]
            save_png(to_gray(im).transpose(t), path)
        elif kind == "jpeg20":
            deg_scanlook(im, rng, 0, paper=250, noise=2.0, blur=0.4).save(path, "JPEG", quality=20,
                                                                           dpi=(DPI, DPI))
        elif kind == "lowres":
            save_png(deg_lowres(im), path, 150)
        elif kind == "shading":
            deg_shading(im, rng).save(path, "JPEG", quality=70, dpi=(DPI, DPI))
        elif kind == "speckle":
            save_png(deg_speckle(im, rng), path)
        elif kind == "lowcontrast":
            save_png(deg_lowcontrast(im), path)
        elif kind == "photo":
            deg_photo(im, rng, arg).save(path, "JPEG", quality=75, dpi=(DPI, DPI))
        elif kind == "textpdf":
            render_pdf(d["pages"], path, name)
        elif kind == "scanpdf":
            pages = [deg_scanlook(r, rng, float(rng.uniform(-0.8, 0.8)), paper=240, noise=4.0) for r in rendered]
            pages = [pg.resize((pg.size[0] * 2 // 3, pg.size[1] * 2 // 3), Image.LANCZOS) for pg in pages]
            image_pdf(pages, path, DPI * 2 // 3, name + " (scan)", quality=70)
        elif kind == "tif":
            pages = [to_gray(r) for r in rendered]
            pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], compression="tiff_adobe_deflate",
                          dpi=(DPI, DPI))
            zero_tiff_padding(path)
        elif kind == "scantif":
            pages = []
            for r in rendered:
                g = deg_scanlook(r, rng, float(rng.uniform(-1.0, 1.0)), paper=250, noise=6.0, blur=0.5)
                pages.append(g.point(lambda v: 255 if v > 150 else 0).convert("1", dither=Image.NONE))
            pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], compression="group4",
                          dpi=(DPI, DPI))
            zero_tiff_padding(path)
        write_truth(os.path.join(OUT, "%s%s.truth.json" % (name, suffix)), d)
        desc = DESCR[kind]
        if "%" in desc:
            desc = desc % arg
        out.append((fn, name, kind, desc))
    return out


def write_readme(rows):
    lines = [
        "# sample-docs",
        "",
        "quire's own test documents with ground truth. Everything here is synthetic (fictitious companies,",
        "people and numbers; IBANs, VAT ids and SIRENs carry valid check digits) and generated by",
        "`scripts/make-sample-docs.py`. Do not edit by hand; change the script and regenerate:",
        "",
        "    /usr/bin/python3 scripts/make-sample-docs.py",
        "",
        "It needs Debian packages only: `python3-pil python3-reportlab python3-numpy fonts-dejavu-core",
        "fonts-dejavu-extra fonts-liberation fonts-urw-base35` (`apt-get install -y --no-install-recommends ...`).",
        "The output is deterministic (fixed seeds, reportlab invariant mode).",
        "",
        "## Ground truth",
        "",
        "Beside each `NAME.EXT` stands `NAME.truth.json` (`type`, `text`, `fields`), see DESIGN.md \"Ground truth\".",
        "Degraded versions share the clean version's truth. Conventions used here:",
        "",
        "- `text`: lines in reading order joined by `\\n`, pages by `\\f`. Cells of one table row or form row",
        "  are joined with single spaces; side-by-side blocks (e.g. vendor block left, invoice details right;",
        "  multi-column footers) are read block by block, left first. Decoration is not text: rubber stamps",
        "  (PAID/BEZAHLT), signatures, checkbox marks, logos, receipt dashes and barcodes.",
        "- invoice fields: `vendor_name`, `vendor_address` (printed lines joined with \", \"), `customer_name`",
        "  (first line of the bill-to block), `invoice_number`, `invoice_date`, `due_date`, `po_number`,",
        "  `currency`, `subtotal`, `tax_amount`, `total`, `iban`, `bic`, `vat_id` (the vendor's) - each only",
        "  when printed. Dates `YYYY-MM-DD`, amounts `1234.50`, IBAN/VAT ids upper case without spaces.",
        "  Where a shop name stands above the legal entity that runs it (`FRISCHEMARKT` over `Hansen OHG`),",
        "  `vendor_name` is the legal entity, as in the SROIE receipts' ground truth.",
        "- receipts use the same names: the receipt date is `invoice_date`, a printed receipt/ticket/bon",
        "  number is `invoice_number`; `subtotal` is the net amount where one is printed.",
        "- letters: `vendor_name`/`vendor_address` = sender, `customer_name` = addressee (plus bank/VAT",
        "  ids from the footer where printed).",
        "- forms: printed label (without the colon) -> value as filled in, dates normalised to `YYYY-MM-DD`,",
        "  IBAN without spaces. A checkbox group (`Type of loss: [X] Collision [ ] Theft`) maps its label to",
        "  the ticked option; a standalone checkbox maps its text to `\"X\"` (ticked) or `\"\"` (not ticked).",
        "  Empty fields (e.g. Claim number) have value `\"\"`. Signature lines are not fields.",
        "- rotated files are named by how the page was turned (`-rot90` = turned 90° clockwise, so it",
        "  needs a 90° counter-clockwise correction). Skew angles: positive = content turned",
        "  counter-clockwise. `-scan.pdf` files are image-only (200 dpi JPEG pages, no text layer);",
        "  `-text.pdf` files have a real text layer whose words equal the truth text.",
        "- OCR hint: on the receipts, Tesseract's default page segmentation (psm 3) tends to drop the",
        "  right-hand price column; `--psm 4` or `--psm 6` reads them. That is part of the test.",
        "",
        "## Files",
        "",
        "| file | type | convention | layout | version |",
        "| --- | --- | --- | --- | --- |",
    ]
    for fn, name, kind, desc in rows:
        t, conv, lay = LAYOUT[name]
        lines.append("| `%s` | %s | %s | %s | %s |" % (fn, t, conv, lay, desc))
    lines.append("")
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def self_check():
    assert iban_valid(iban("DE", "370400440532013000"))
    assert iban("DE", "370400440532013000") == "DE89370400440532013000"
    assert iban("GB", "NWBK60161331926819") == "GB29NWBK60161331926819"
    assert fr_vat("404833048") == "FR83404833048"
    assert de_vat("13669597") == "DE136695976"
    assert gb_vat("9807806") == "GB980780684"
    assert iban("FR", "20041010050500013M02606") == "FR1420041010050500013M02606"
    assert luhn_ok("732829320")


def main():
    self_check()
    for fn in (invoice_en_01, invoice_en_02, invoice_de_01, invoice_de_02, invoice_fr_01, invoice_fr_02,
               invoice_gb_01, invoice_gb_02, invoice_en_03, receipts, form_01, form_02, form_03, form_04,
               letter_01, letter_02):
        fn()
    only = set(sys.argv[2:])
    if os.path.isdir(OUT) and not only:
        for f in os.listdir(OUT):
            if not f.startswith("."):
                os.remove(os.path.join(OUT, f))
    os.makedirs(OUT, exist_ok=True)
    rows = []
    for d in DOCS:
        if only and d["name"] not in only:
            continue
        rendered = [render_pil(pg) for pg in d["pages"]]
        rows += produce(d, rendered)
        print("%-16s %d file(s)" % (d["name"], len(VARIANTS[d["name"]])), flush=True)
    if not only:
        write_readme(rows)


if __name__ == "__main__":
    main()
