#!/usr/bin/env node
// Draws the synthetic specimen images of examples/images/: simple pictures of ID-card-like cards and selfies,
// no real person's data. Each PNG carries a tEXt chunk `Comment` = `finos-mock:<flags>` that tells the built-in
// simulator what to answer (the simulator looks for that marker in the first 64 KiB of an upload).
//
// Plain Node, no dependencies; deterministic: the same Node version writes the same bytes every run.
//   node scripts/make-specimens.mjs [outDir]      (default: examples/images)

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { PNG_SIGNATURE, pngChunk } from './png.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = resolve(process.argv[2] ?? join(ROOT, 'examples', 'images'));

// ---- PNG encoding -------------------------------------------------------------------------------------------

function textChunk(keyword, text) {
  return pngChunk('tEXt', Buffer.from(`${keyword}\0${text}`, 'latin1'));
}

/** The marker chunk. A flag reader stops at the first byte outside [a-z0-9=_,-]: make sure the CRC is such a byte. */
function markerChunk(flags) {
  let text = `finos-mock:${flags}`;
  for (;;) {
    const c = textChunk('Comment', text);
    const after = String.fromCharCode(c[c.length - 4]);
    if (!/[a-z0-9=_,-]/.test(after)) return c;
    text += ' ';
  }
}

/** Encodes an RGB canvas: indexed colour when it has at most 256 colours, else truecolour with per-row filters. */
function encodePng(canvas, flags, description) {
  const { w, h, px } = canvas;
  const colours = new Map();
  for (let i = 0; i < w * h; i++) {
    const key = (px[i * 3] << 16) | (px[i * 3 + 1] << 8) | px[i * 3 + 2];
    if (!colours.has(key)) {
      if (colours.size === 256) break;
      colours.set(key, colours.size);
    }
  }
  const indexed = colours.size <= 256 && !hasMoreColours(canvas, colours);

  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = indexed ? 3 : 2; // palette / RGB
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;

  let raw;
  const chunks = [pngChunk('IHDR', ihdr)];
  if (flags !== undefined) chunks.push(markerChunk(flags));
  chunks.push(textChunk('Description', description));
  if (indexed) {
    const plte = Buffer.alloc(colours.size * 3);
    for (const [key, i] of colours) {
      plte[i * 3] = key >> 16;
      plte[i * 3 + 1] = (key >> 8) & 0xff;
      plte[i * 3 + 2] = key & 0xff;
    }
    chunks.push(pngChunk('PLTE', plte));
    raw = Buffer.alloc((w + 1) * h);
    for (let y = 0; y < h; y++) {
      raw[y * (w + 1)] = 0;
      for (let x = 0; x < w; x++) {
        const i = (y * w + x) * 3;
        raw[y * (w + 1) + 1 + x] = colours.get((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
      }
    }
  } else {
    raw = filterRows(px, w, h, 3);
  }
  chunks.push(pngChunk('IDAT', deflateSync(raw, { level: 9, memLevel: 9 })));
  chunks.push(pngChunk('IEND', Buffer.alloc(0)));
  return Buffer.concat([PNG_SIGNATURE, ...chunks]);
}

function hasMoreColours(canvas, colours) {
  const { w, h, px } = canvas;
  for (let i = 0; i < w * h; i++) {
    if (!colours.has((px[i * 3] << 16) | (px[i * 3 + 1] << 8) | px[i * 3 + 2])) return true;
  }
  return false;
}

/** PNG filters 0–4, chosen per row by the smallest sum of absolute values. */
function filterRows(px, w, h, bpp) {
  const stride = w * bpp;
  const out = Buffer.alloc((stride + 1) * h);
  const cand = Array.from({ length: 5 }, () => Buffer.alloc(stride));
  for (let y = 0; y < h; y++) {
    const row = y * stride;
    const prev = y > 0 ? row - stride : -1;
    for (let x = 0; x < stride; x++) {
      const cur = px[row + x];
      const a = x >= bpp ? px[row + x - bpp] : 0;
      const b = prev >= 0 ? px[prev + x] : 0;
      const c = prev >= 0 && x >= bpp ? px[prev + x - bpp] : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      cand[0][x] = cur;
      cand[1][x] = (cur - a) & 0xff;
      cand[2][x] = (cur - b) & 0xff;
      cand[3][x] = (cur - ((a + b) >> 1)) & 0xff;
      cand[4][x] = (cur - paeth) & 0xff;
    }
    let best = 0;
    let bestSum = Infinity;
    for (let f = 0; f < 5; f++) {
      let sum = 0;
      for (const v of cand[f]) sum += v < 128 ? v : 256 - v;
      if (sum < bestSum) {
        bestSum = sum;
        best = f;
      }
    }
    out[y * (stride + 1)] = best;
    cand[best].copy(out, y * (stride + 1) + 1);
  }
  return out;
}

// ---- drawing ------------------------------------------------------------------------------------------------

function hex(s) {
  const n = parseInt(s.slice(1), 16);
  return [n >> 16, (n >> 8) & 0xff, n & 0xff];
}

function canvas(w, h, bg) {
  const c = { w, h, px: new Uint8Array(w * h * 3) };
  rect(c, 0, 0, w, h, bg);
  return c;
}

function set(c, x, y, col) {
  if (x < 0 || y < 0 || x >= c.w || y >= c.h) return;
  if (c.clip && (x < c.clip[0] || y < c.clip[1] || x >= c.clip[2] || y >= c.clip[3])) return;
  const i = (y * c.w + x) * 3;
  const [r, g, b] = hex(col);
  c.px[i] = r;
  c.px[i + 1] = g;
  c.px[i + 2] = b;
}

function rect(c, x0, y0, w, h, col) {
  for (let y = Math.max(0, y0); y < Math.min(c.h, y0 + h); y++) {
    for (let x = Math.max(0, x0); x < Math.min(c.w, x0 + w); x++) set(c, x, y, col);
  }
}

function roundRect(c, x0, y0, w, h, r, col) {
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) {
      const dx = x < x0 + r ? x0 + r - x - 0.5 : x >= x0 + w - r ? x - (x0 + w - r) + 0.5 : 0;
      const dy = y < y0 + r ? y0 + r - y - 0.5 : y >= y0 + h - r ? y - (y0 + h - r) + 0.5 : 0;
      if (dx * dx + dy * dy <= r * r) set(c, x, y, col);
    }
  }
}

function ellipse(c, cx, cy, rx, ry, col) {
  for (let y = Math.floor(cy - ry); y <= Math.ceil(cy + ry); y++) {
    for (let x = Math.floor(cx - rx); x <= Math.ceil(cx + rx); x++) {
      const dx = (x + 0.5 - cx) / rx;
      const dy = (y + 0.5 - cy) / ry;
      if (dx * dx + dy * dy <= 1) set(c, x, y, col);
    }
  }
}

function ring(c, cx, cy, rx, ry, thickness, col) {
  for (let y = Math.floor(cy - ry); y <= Math.ceil(cy + ry); y++) {
    for (let x = Math.floor(cx - rx); x <= Math.ceil(cx + rx); x++) {
      const dx = (x + 0.5 - cx) / rx;
      const dy = (y + 0.5 - cy) / ry;
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d <= 1 && d >= 1 - thickness / Math.min(rx, ry)) set(c, x, y, col);
    }
  }
}

/** A deterministic PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Text-like lines: a short light "label" bar then a darker "value" bar of random length. */
function textLines(c, x, y, maxW, rows, rand, { label = '#7d8ea8', value = '#22304a', step = 22, height = 7 } = {}) {
  for (let r = 0; r < rows; r++) {
    const lw = 30 + Math.floor(rand() * 40);
    rect(c, x, y + r * step, lw, height - 2, label);
    const vw = Math.floor(maxW * (0.35 + rand() * 0.6)) - lw - 8;
    if (vw > 10) rect(c, x + lw + 8, y + r * step - 1, vw, height, value);
  }
}

function photo(c, x, y, w, h, { bg = '#e4e7ea', head = '#8a8f96', body = '#6b7078' } = {}) {
  rect(c, x, y, w, h, bg);
  c.clip = [x, y, x + w, y + h];
  ellipse(c, x + w / 2, y + h * 0.95, w * 0.45, h * 0.3, body);
  ellipse(c, x + w / 2, y + h * 0.4, w * 0.26, h * 0.24, head);
  c.clip = undefined;
}

function qr(c, x, y, modules, size, rand, dark = '#1b1b1b', light = '#ffffff') {
  rect(c, x - size, y - size, (modules + 2) * size, (modules + 2) * size, light);
  for (let j = 0; j < modules; j++) {
    for (let i = 0; i < modules; i++) {
      const finder = (i < 7 && j < 7) || (i >= modules - 7 && j < 7) || (i < 7 && j >= modules - 7);
      let on;
      if (finder) {
        const fi = i < 7 ? i : i - (modules - 7);
        const fj = j < 7 ? j : j - (modules - 7);
        on = fi === 0 || fi === 6 || fj === 0 || fj === 6 || (fi >= 2 && fi <= 4 && fj >= 2 && fj <= 4);
      } else {
        on = rand() < 0.5;
      }
      if (on) rect(c, x + i * size, y + j * size, size, size, dark);
    }
  }
}

function emblem(c, cx, cy, r) {
  ellipse(c, cx, cy, r, r, '#f2c230');
  ellipse(c, cx, cy, r * 0.78, r * 0.78, '#d0202e');
  // a five-pointed star
  for (let y = Math.floor(cy - r); y <= cy + r; y++) {
    for (let x = Math.floor(cx - r); x <= cx + r; x++) {
      if (inStar(x + 0.5 - cx, y + 0.5 - cy, r * 0.55)) set(c, x, y, '#f2c230');
    }
  }
}

function inStar(x, y, R) {
  const pts = [];
  for (let k = 0; k < 10; k++) {
    const rad = k % 2 === 0 ? R : R * 0.4;
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    pts.push([rad * Math.cos(a), rad * Math.sin(a)]);
  }
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i];
    const [xj, yj] = pts[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function mrz(c, x, y, w, lines, rand) {
  rect(c, x - 8, y - 8, w + 16, lines * 16 + 8, '#fbfbf7');
  for (let l = 0; l < lines; l++) {
    for (let i = 0; i * 9 < w; i++) {
      const filler = rand() < 0.25;
      rect(c, x + i * 9, y + l * 16 + (filler ? 4 : 0), 6, filler ? 2 : 8, '#30343a');
    }
  }
}

function fingerprint(c, x, y, w, h) {
  roundRect(c, x, y, w, h, 6, '#f7fafc');
  for (let k = 1; k <= 6; k++) ring(c, x + w / 2, y + h / 2, (w / 2 - 6) * (k / 6), (h / 2 - 6) * (k / 6), 1.6, '#9aa6b4');
}

// ---- documents ----------------------------------------------------------------------------------------------

const CARD_W = 480;
const CARD_H = 300;
const TABLE = '#cfc9bf';

function citizenIdFront(seed, { chip = true } = {}) {
  const rand = rng(seed);
  const c = canvas(CARD_W, CARD_H, TABLE);
  roundRect(c, 12, 12, 456, 276, 16, '#d5e9f6');
  rect(c, 12, 24, 456, 46, '#c8283a');
  rect(c, 12, 70, 456, 3, '#f2c230');
  emblem(c, 46, 47, 19);
  rect(c, 80, 34, 230, 9, '#f6e7a8');
  rect(c, 80, 51, 170, 7, '#f6e7a8');
  photo(c, 32, 90, 96, 124);
  if (chip) {
    roundRect(c, 44, 228, 58, 42, 6, '#d6b04c');
    rect(c, 50, 240, 46, 2, '#a7862c');
    rect(c, 50, 256, 46, 2, '#a7862c');
    rect(c, 72, 234, 2, 30, '#a7862c');
    qr(c, 392, 88, 21, 3, rand);
  }
  rect(c, 150, 92, 150, 11, '#b3122a'); // the ID number, printed in red
  textLines(c, 150, 122, 300, 7, rand);
  return c;
}

function citizenIdBack(seed) {
  const rand = rng(seed);
  const c = canvas(CARD_W, CARD_H, TABLE);
  roundRect(c, 12, 12, 456, 276, 16, '#dcecf7');
  fingerprint(c, 30, 34, 84, 104);
  fingerprint(c, 124, 34, 84, 104);
  textLines(c, 226, 40, 230, 4, rand);
  rect(c, 226, 126, 90, 28, '#c8283a'); // the seal
  ellipse(c, 380, 140, 30, 30, '#c8283a');
  ellipse(c, 380, 140, 22, 22, '#dcecf7');
  mrz(c, 40, 214, 400, 3, rand);
  return c;
}

function oldCmndFront(seed) {
  const rand = rng(seed);
  const c = canvas(CARD_W, CARD_H, TABLE);
  roundRect(c, 12, 12, 456, 276, 12, '#bfe0d4');
  for (let y = 20; y < 280; y += 6) rect(c, 20, y, 440, 1, '#b2d6c9'); // guilloche-ish hairlines
  emblem(c, 70, 70, 38);
  photo(c, 36, 140, 72, 96, { bg: '#d9e3df', head: '#7b8280', body: '#5d6462' });
  rect(c, 150, 34, 280, 10, '#1d4f7a');
  rect(c, 200, 56, 180, 8, '#1d4f7a');
  rect(c, 170, 84, 140, 12, '#b3122a');
  textLines(c, 150, 116, 300, 7, rand, { label: '#5f7f86', value: '#1f2f3a', step: 23 });
  return c;
}

function driverLicence(seed) {
  const rand = rng(seed);
  const c = canvas(CARD_W, CARD_H, TABLE);
  roundRect(c, 12, 12, 456, 276, 16, '#f4dccf');
  rect(c, 12, 24, 456, 40, '#1f4e9c');
  emblem(c, 44, 44, 15);
  rect(c, 74, 34, 200, 8, '#e7eefb');
  rect(c, 74, 48, 130, 6, '#e7eefb');
  rect(c, 330, 32, 120, 24, '#e7eefb');
  photo(c, 30, 82, 92, 118, { bg: '#e8e2de' });
  textLines(c, 142, 86, 310, 7, rand, { label: '#a0807a', value: '#2a2230' });
  rect(c, 30, 214, 92, 56, '#e9c8b8');
  rect(c, 38, 226, 76, 8, '#2a2230');
  rect(c, 38, 244, 50, 8, '#2a2230');
  return c;
}

function passport(seed) {
  const rand = rng(seed);
  const c = canvas(CARD_W, CARD_H, TABLE);
  rect(c, 10, 10, 460, 280, '#e8ecd6');
  for (let x = 14; x < 466; x += 10) rect(c, x, 14, 1, 272, '#dde3c8');
  rect(c, 10, 10, 460, 30, '#2f6a4f');
  emblem(c, 34, 25, 11);
  rect(c, 56, 20, 220, 9, '#e8ecd6');
  photo(c, 28, 54, 96, 126, { bg: '#f0f1ea' });
  rect(c, 146, 54, 100, 9, '#b3122a'); // passport number
  textLines(c, 146, 76, 310, 6, rand, { label: '#7f8a6c', value: '#23281d', step: 19 });
  mrz(c, 30, 226, 420, 2, rand);
  return c;
}

function registrationCard(seed, { tint, grid }) {
  const rand = rng(seed);
  const c = canvas(CARD_W, CARD_H, TABLE);
  roundRect(c, 12, 12, 456, 276, 10, tint);
  rect(c, 22, 22, 436, 3, grid);
  rect(c, 22, 275, 436, 3, grid);
  emblem(c, 46, 50, 17);
  rect(c, 80, 38, 240, 9, '#1d3557');
  rect(c, 80, 56, 160, 7, '#1d3557');
  for (let r = 0; r <= 6; r++) rect(c, 28, 82 + r * 28, 424, 1, grid);
  rect(c, 240, 82, 1, 168, grid);
  for (let r = 0; r < 6; r++) {
    for (const x of [36, 250]) {
      rect(c, x, 92 + r * 28, 40 + Math.floor(rand() * 20), 5, '#6c7a92');
      rect(c, x + 70, 91 + r * 28, 40 + Math.floor(rand() * 80), 7, '#1b2333');
    }
  }
  rect(c, 330, 256, 110, 12, '#b3122a'); // the number plate
  return c;
}

// ---- selfies ------------------------------------------------------------------------------------------------

const SELFIE_W = 320;
const SELFIE_H = 400;

function selfie({ bg, skin, hair, shirt, dx = 0, dy = 0, longHair = false, smile = false, glasses = false }) {
  const c = canvas(SELFIE_W, SELFIE_H, bg);
  const cx = 160 + dx;
  const cy = 170 + dy;
  ellipse(c, cx, 420 + dy, 150, 110, shirt);
  if (longHair) ellipse(c, cx, cy + 30, 88, 130, hair);
  rect(c, cx - 26, cy + 70, 52, 60, skin);
  ellipse(c, cx, cy - 18, 80, 70, hair);
  ellipse(c, cx, cy + 8, 70, 92, skin);
  ellipse(c, cx, cy - 52, 72, 34, hair);
  ellipse(c, cx - 28, cy - 6, 11, 6, '#ffffff');
  ellipse(c, cx + 28, cy - 6, 11, 6, '#ffffff');
  ellipse(c, cx - 28, cy - 6, 5, 5, '#2b2118');
  ellipse(c, cx + 28, cy - 6, 5, 5, '#2b2118');
  rect(c, cx - 42, cy - 24, 28, 4, hair);
  rect(c, cx + 14, cy - 24, 28, 4, hair);
  if (glasses) {
    ring(c, cx - 28, cy - 6, 19, 15, 3, '#2d2d2d');
    ring(c, cx + 28, cy - 6, 19, 15, 3, '#2d2d2d');
    rect(c, cx - 9, cy - 8, 18, 3, '#2d2d2d');
  }
  ellipse(c, cx, cy + 22, 6, 12, shade(skin));
  if (smile) {
    ellipse(c, cx, cy + 50, 22, 10, '#9c3b3b');
    rect(c, cx - 24, cy + 38, 48, 12, skin);
  } else {
    rect(c, cx - 18, cy + 50, 36, 5, '#9c3b3b');
  }
  return c;
}

function shade(col) {
  const [r, g, b] = hex(col);
  const d = (v) => Math.max(0, Math.round(v * 0.86));
  return `#${[d(r), d(g), d(b)].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

const PERSON_A = { bg: '#dfe6ee', skin: '#e8bf9a', hair: '#2a211c', shirt: '#3b5b8c' };
const PERSON_C = { bg: '#e9e3d6', skin: '#c98e63', hair: '#4a3020', shirt: '#7a3e48', longHair: true, glasses: true };

/** Person A filmed off a phone screen: a bezel, scan lines and a glare streak. */
function onScreen(c) {
  const out = canvas(c.w, c.h, '#111318');
  for (let y = 22; y < c.h - 22; y++) {
    for (let x = 16; x < c.w - 16; x++) {
      const i = (y * c.w + x) * 3;
      let [r, g, b] = [c.px[i], c.px[i + 1], c.px[i + 2]];
      if (y % 4 === 0) [r, g, b] = [r * 0.8, g * 0.8, b * 0.85];
      if (Math.abs(x - (c.h - y) * 0.8 - 40) < 14) [r, g, b] = [(r + 255) / 2, (g + 255) / 2, (b + 255) / 2];
      const o = (y * c.w + x) * 3;
      out.px[o] = Math.round(r) & 0xf8;
      out.px[o + 1] = Math.round(g) & 0xf8;
      out.px[o + 2] = Math.round(b) & 0xf8;
    }
  }
  rect(out, c.w / 2 - 20, 8, 40, 6, '#2c2f36');
  return out;
}

/** A box blur (two passes), quantised so the result still fits a palette. */
function blur(c, r) {
  let src = c.px;
  for (let pass = 0; pass < 2; pass++) {
    const tmp = new Uint8Array(src.length);
    for (let y = 0; y < c.h; y++) {
      for (let x = 0; x < c.w; x++) {
        for (let k = 0; k < 3; k++) {
          let s = 0;
          let n = 0;
          for (let d = -r; d <= r; d++) {
            const xx = Math.min(c.w - 1, Math.max(0, x + d));
            const yy = Math.min(c.h - 1, Math.max(0, y + (pass === 0 ? 0 : d)));
            const xs = pass === 0 ? xx : x;
            s += src[(yy * c.w + xs) * 3 + k];
            n++;
          }
          tmp[(y * c.w + x) * 3 + k] = Math.round(s / n);
        }
      }
    }
    src = tmp;
  }
  for (let i = 0; i < src.length; i++) src[i] = Math.min(255, Math.round(src[i] / 24) * 24);
  return { w: c.w, h: c.h, px: src };
}

function tiny() {
  const c = canvas(32, 32, TABLE);
  roundRect(c, 2, 6, 28, 20, 3, '#d5e9f6');
  rect(c, 2, 8, 28, 4, '#c8283a');
  rect(c, 5, 14, 7, 9, '#8a8f96');
  return c;
}

// ---- the specimens ------------------------------------------------------------------------------------------

const SYNTHETIC = 'Synthetic specimen drawn by finos-ekyc scripts/make-specimens.mjs; no real person or document.';

const SPECIMENS = [
  ['cccd-front.png', 'doc=cccd_chip_front,person=a', () => citizenIdFront(101)],
  ['cccd-back.png', 'doc=cccd_chip_back', () => citizenIdBack(102)],
  ['cccd-blurry.png', 'doc=cccd_chip_front,blur,person=b', () => blur(citizenIdFront(103), 3)],
  ['cmnd-old-front.png', 'doc=cmnd_old_front', () => oldCmndFront(104)],
  ['driver-license.png', 'doc=dl_new_front', () => driverLicence(105)],
  ['passport.png', 'doc=vn_passport_front', () => passport(106)],
  ['mrc-front.png', 'doc=old_register_card_back', () => registrationCard(107, { tint: '#f3efd9', grid: '#8d7d4a' })],
  ['mrc-back.png', 'doc=new_register_card_back', () => registrationCard(108, { tint: '#e3edf5', grid: '#4d6f91' })],
  ['selfie.png', 'person=a', () => selfie(PERSON_A)],
  ['selfie-2.png', 'person=a', () => selfie({ ...PERSON_A, bg: '#e4e9e1', dx: 10, dy: -8, smile: true })],
  ['selfie-other.png', 'person=c', () => selfie(PERSON_C)],
  ['selfie-screen.png', 'person=a,not-live', () => onScreen(selfie({ ...PERSON_A, dx: -6, dy: 6 }))],
  ['tiny.png', 'doc=cccd_chip_front', () => tiny()],
];

mkdirSync(OUT, { recursive: true });
for (const [name, flags, draw] of SPECIMENS) {
  const png = encodePng(draw(), flags, SYNTHETIC);
  writeFileSync(join(OUT, name), png);
  process.stdout.write(`${join(OUT, name)}  ${png.length} bytes  finos-mock:${flags}\n`);
}
