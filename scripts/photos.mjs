// Phone-like photos for the tests and the benchmark, made with sharp: a card lying on a table, lit unevenly, with
// sensor grain, stored as a camera stores it (a 12 MP JPEG shot sideways carries EXIF orientation 6 and pixels lying
// on their side). Deterministic for a given seed. Plain Node, so scripts and tests can both use it.
//
//   node scripts/photos.mjs DIR [COUNT] [WIDTHxHEIGHT] [upright]
//     writes COUNT (default 4) phone photos phone-N.jpg into DIR: upright WIDTH×HEIGHT (default 3024x4032), stored
//     sideways with EXIF orientation 6 unless `upright`
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';

/** A small deterministic generator (mulberry32): the same seed gives the same photo. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The upright scene as raw RGB: a wooden-brown table with a light falloff, a pale ID card with a portrait and
 * lines of dark "text", and grain. `marker` goes into the JPEG comment the simulator reads (finos-mock:<flags>).
 */
function scene(width, height, seed, { grain = 10, brightness = 1 } = {}) {
  const rnd = random(seed);
  const px = Buffer.alloc(width * height * 3);
  const card = { x: Math.round(width * 0.12), y: Math.round(height * 0.3), w: Math.round(width * 0.76), h: Math.round(width * 0.76 * 0.63) };
  const portrait = { x: card.x + card.w * 0.06, y: card.y + card.h * 0.25, w: card.w * 0.25, h: card.h * 0.55 };
  const lines = Array.from({ length: 7 }, (_, i) => ({ y: card.y + card.h * (0.22 + i * 0.1), w: card.w * (0.35 + rnd() * 0.25) }));
  const cx = width * (0.3 + rnd() * 0.4);
  const cy = height * (0.3 + rnd() * 0.4);
  const diag = Math.hypot(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 120 + 20 * Math.sin(y / 37 + x / 900);
      let g = 82 + 12 * Math.sin(y / 37);
      let b = 52;
      if (x >= card.x && x < card.x + card.w && y >= card.y && y < card.y + card.h) {
        [r, g, b] = [228, 222, 205];
        const inPortrait = x >= portrait.x && x < portrait.x + portrait.w && y >= portrait.y && y < portrait.y + portrait.h;
        if (inPortrait) [r, g, b] = [150, 120, 105];
        else if (x > portrait.x + portrait.w + card.w * 0.05) {
          for (const l of lines) if (y >= l.y && y < l.y + card.h * 0.035 && x < portrait.x + portrait.w + card.w * 0.05 + l.w) [r, g, b] = [40, 40, 48];
        }
      }
      const light = brightness * (1.1 - 0.45 * (Math.hypot(x - cx, y - cy) / diag));
      const noise = (rnd() - 0.5) * 2 * grain;
      const o = (y * width + x) * 3;
      px[o] = clamp(r * light + noise);
      px[o + 1] = clamp(g * light + noise);
      px[o + 2] = clamp(b * light + noise);
    }
  }
  return px;
}

const clamp = (v) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/**
 * A JPEG as a phone writes it. `orientation` 6 stores the pixels turned a quarter to the left with the tag that turns
 * them back, as a phone held upright does; 1 stores them upright.
 */
export async function phonePhoto({ width = 3024, height = 4032, orientation = 6, seed = 1, quality = 92, marker = 'doc=cccd_chip_front', grain, brightness } = {}) {
  const upright = sharp(scene(width, height, seed, { grain, brightness }), { raw: { width, height, channels: 3 } });
  const stored = orientation === 6 ? sharp(await upright.rotate(-90).raw().toBuffer(), { raw: { width: height, height: width, channels: 3 } }) : upright;
  const jpeg = await stored.jpeg({ quality }).withMetadata({ orientation }).toBuffer();
  return withComment(jpeg, `finos-mock:${marker}`);
}

/** A JPEG COM segment right after SOI, where the simulator looks for its marker. */
export function withComment(jpeg, text) {
  const body = Buffer.from(text, 'latin1');
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), segment, body, jpeg.subarray(2)]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, count = '4', size = '3024x4032', upright] = process.argv.slice(2);
  const [width, height] = size.split('x').map(Number);
  if (!dir || !(width > 0 && height > 0) || (upright !== undefined && upright !== 'upright')) {
    process.stderr.write('usage: node scripts/photos.mjs DIR [COUNT] [WIDTHxHEIGHT] [upright]\n');
    process.exit(2);
  }
  mkdirSync(dir, { recursive: true });
  for (let i = 1; i <= Number(count); i++) {
    const bytes = await phonePhoto({ seed: i, width, height, orientation: upright ? 1 : 6 });
    writeFileSync(join(dir, `phone-${i}.jpg`), bytes);
    process.stderr.write(`phone-${i}.jpg ${(bytes.length / 1024 / 1024).toFixed(1)} MB\n`);
  }
}
