import { once } from 'node:events';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { brotliDecompressSync, crc32, gunzipSync } from 'node:zlib';
// undici's own Response: the global one of Node 24 and later does not know undici's FormData and sends '[object FormData]'.
import { FormData, request, Response, type Dispatcher } from 'undici';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OcrDocument } from '../src/api/types.js';
import type { RecordedRequest, Simulator } from '../src/mock/index.js';
import { checkDocuments } from '../src/vn/check.js';
import { PROVINCES } from '../src/vn/provinces.js';
import { makePng } from './helpers/png.js';
import { fingerprintOf, useSimulator, withSim } from './helpers/sim.js';

const KEY = 'sim-test-key';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const P = {
  nationalId: '/ekyc/ocr/v2/nationalID',
  dl: '/ekyc/ocr/v1/readDL',
  passport: '/ekyc/ocr/v1/readVNPassport',
  mrc: '/ekyc/ocr/v1/readMRC',
  verify: '/ekyc/face/v1/photo/verifyPair',
  liveness: '/ekyc/face/v2/photo/liveness',
  index: '/ekyc/recognition/face/indexing_face',
  search: '/ekyc/recognition/face/search',
  history: '/ekyc/transaction/history',
} as const;

/** A Buffer goes as `<field>.png` typed image/png; a File with its own name and type. */
type Part = Buffer | string | File;
type Form = Record<string, Part | Part[]>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
type Json = any;

interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Json;
}

async function post(target: Simulator, path: string, parts: Form, headers: Record<string, string> = {}): Promise<Res> {
  const form = new FormData();
  for (const [name, value] of Object.entries(parts)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === 'string' || v instanceof File) form.append(name, v);
      else form.append(name, new Blob([v], { type: 'image/png' }), `${name}.png`);
    }
  }
  return read(await request(`${target.url}${path}`, { method: 'POST', body: form, headers: { 'x-finos-api-key': KEY, ...headers } }));
}

/**
 * Posts a body as written by hand: one buffer, or pieces that each reach the simulator as an HTTP chunk of their
 * own, so a delimiter can be made to span two reads.
 */
async function postRaw(target: Simulator, path: string, contentType: string, body: Buffer | Buffer[]): Promise<Res> {
  const sent = Array.isArray(body) ? Readable.from(body, { objectMode: false }) : body;
  return read(await request(`${target.url}${path}`, { method: 'POST', body: sent, headers: { 'x-finos-api-key': KEY, 'content-type': contentType } }));
}

async function read(res: Dispatcher.ResponseData): Promise<Res> {
  const text = await res.body.text();
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

const card = (marker?: string, seed = 0): Buffer => makePng({ width: 200, height: 120, seed, ...(marker === undefined ? {} : { marker }) });
const face = (marker?: string, seed = 0): Buffer => makePng({ width: 120, height: 160, seed, ...(marker === undefined ? {} : { marker }) });

/** dd-MM-yyyy or dd/MM/yyyy → [day, month, year]. */
const parts = (date: string): [number, number, number] => date.split(/[-/]/).map(Number) as [number, number, number];
const todayUtc = (): Date => new Date(new Date().toISOString().slice(0, 10));
const toDate = (date: string): Date => {
  const [d, m, y] = parts(date);
  return new Date(Date.UTC(y, m - 1, d));
};

const simulator = useSimulator({ apiKey: KEY });
let sim: Simulator;
beforeEach(() => {
  sim = simulator();
});

describe('national ID', () => {
  it('answers a chip card front shaped like the reference sample, with a self-consistent person', async () => {
    const res = await post(
      sim,
      P.nationalId,
      { image: card('doc=cccd_chip_front,person=alice'), enableAddressSplit: 'yes', qualityCheck: 'yes', faceCheck: 'yes' },
      { transactionId: 'tx-1' },
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers.connection).toBe('keep-alive');
    const body = res.json;
    expect(body).toMatchObject({ status: 'success', statusCode: '200', transactionId: 'tx-1' });
    expect(body.requestId).toMatch(UUID);
    expect(body.result.summary).toEqual({ action: 'pass', details: [] });
    const doc = body.result.details[0];
    expect(doc.type).toBe('cccd_chip_front');
    const f = doc.fieldsExtracted;
    expect(Object.keys(f)).toEqual(['idNumber', 'name', 'dob', 'homeTown', 'permanentAddress', 'gender', 'doe', 'nationality']);
    for (const field of Object.values(f) as Json[]) expect(field['to-be-reviewed']).toBe('no');
    expect(f.nationality.value).toBe('Việt Nam');
    expect(f.name.value).toBe(f.name.value.toUpperCase());
    expect(f.name.value.split(' ').length).toBeGreaterThanOrEqual(3);
    expect(['Nam', 'Nữ']).toContain(f.gender.value);

    // The ID number agrees with the person (shared/domain/vn-id-rules.md): province code, century+sex digit (even = male), birth year.
    const id: string = f.idNumber.value;
    expect(id).toMatch(/^\d{12}$/);
    expect(PROVINCES.has(id.slice(0, 3))).toBe(true);
    const [dd, mm, yyyy] = parts(f.dob.value);
    expect(Number(id[3]) % 2).toBe(f.gender.value === 'Nam' ? 0 : 1);
    expect(1900 + 100 * Math.floor(Number(id[3]) / 2) + Number(id.slice(4, 6))).toBe(yyyy);

    // A valid chip card: expiry on a 25/40/60 birthday, in the future, or none from 58 on.
    if (f.doe.value !== 'Không thời hạn') {
      const [ed, em, ey] = parts(f.doe.value);
      expect([ed, em]).toEqual([dd, mm]);
      expect([25, 40, 60]).toContain(ey - yyyy);
      expect(toDate(f.doe.value).getTime()).toBeGreaterThan(todayUtc().getTime());
    }

    const addr = f.permanentAddress;
    expect(Object.keys(addr)).toEqual(['value', 'province', 'ward', 'district', 'street', 'to-be-reviewed']);
    expect([...PROVINCES.values()].map((p) => p.name)).toContain(addr.province);
    expect(addr.value).toContain(addr.province);
    expect(addr.value.startsWith(addr.street)).toBe(true);

    expect(Object.keys(doc.qualityChecks)).toEqual(['faceNotDetected', 'blur', 'glare', 'partialID', 'blackAndWhite', 'capturedFromScreen']);
    for (const c of Object.values(doc.qualityChecks) as Json[]) expect(c).toEqual({ value: 'no', 'to-be-reviewed': 'no' });
    expect(doc.ruleChecks).toEqual({
      idDOBGenderCodeInvalid: { value: 'no', 'to-be-reviewed': 'no' },
      idNumberLengthMismatch: { value: 'no', 'to-be-reviewed': 'no' },
    });
    expect(doc.tamperChecks).toEqual({ photoTampered: { value: 'no', 'to-be-reviewed': 'no' } });
  });

  it('extracts the fields the reference lists per document type', async () => {
    const expected: Record<string, string[]> = {
      cmnd_old_front: ['idNumber', 'name', 'dob', 'homeTown', 'permanentAddress'],
      cmnd_old_back: ['doi', 'placeOfIssue', 'doe', 'ethnicity'],
      cmnd_new_front: ['idNumber', 'name', 'dob', 'homeTown', 'permanentAddress', 'gender', 'doi', 'doe', 'ethnicity'],
      cccd_front: ['idNumber', 'name', 'dob', 'homeTown', 'permanentAddress', 'gender', 'doi', 'doe', 'nationality'],
      cmnd_new_cccd_back: ['doi', 'placeOfIssue'],
      cccd_chip_front: ['idNumber', 'name', 'dob', 'homeTown', 'permanentAddress', 'gender', 'doe', 'nationality'],
      cccd_chip_back: ['doi', 'placeOfIssue'],
    };
    for (const [type, fields] of Object.entries(expected)) {
      const res = await post(sim, P.nationalId, { image: card(`doc=${type},person=bob`), qualityCheck: 'yes' });
      const doc = res.json.result.details[0];
      expect(doc.type, type).toBe(type);
      expect(Object.keys(doc.fieldsExtracted), type).toEqual(fields);
      const front = fields.includes('idNumber');
      expect(Object.keys(doc.qualityChecks).length > 0, type).toBe(front);
      if (front) expect(doc.fieldsExtracted.idNumber.value, type).toMatch(type === 'cmnd_old_front' ? /^\d{9}$/ : /^\d{12}$/);
      expect(res.json.result.summary.action, type).toBe('pass');
    }
  });

  it('splits the address and runs checks only when asked', async () => {
    const res = await post(sim, P.nationalId, { image: card('doc=cccd_chip_front'), enableAddressSplit: 'no' });
    const doc = res.json.result.details[0];
    expect(Object.keys(doc.fieldsExtracted.permanentAddress)).toEqual(['value', 'to-be-reviewed']);
    expect(doc.qualityChecks).toEqual({});
    expect(doc.tamperChecks).toEqual({});
    expect(res.json).not.toHaveProperty('transactionId');
  });

  it('is deterministic: the same bytes give the same document under a fresh requestId', async () => {
    const image = card(undefined, 42);
    const a = await post(sim, P.nationalId, { image, qualityCheck: 'yes' });
    const b = await post(sim, P.nationalId, { image, qualityCheck: 'yes' });
    expect(a.json.result).toEqual(b.json.result);
    expect(a.json.requestId).not.toBe(b.json.requestId);
    const other = await post(sim, P.nationalId, { image: card('doc=cccd_chip_front', 43), qualityCheck: 'yes' });
    const again = await post(sim, P.nationalId, { image: card('doc=cccd_chip_front', 44), qualityCheck: 'yes' });
    expect(other.json.result.details[0].fieldsExtracted.idNumber).not.toEqual(again.json.result.details[0].fieldsExtracted.idNumber);
  });

  it('gives two photos with the same person= marker the same person, and front and back the same dates', async () => {
    const front1 = await post(sim, P.nationalId, { image: card('doc=cccd_front,person=carol', 1) });
    const front2 = await post(sim, P.nationalId, { image: card('doc=cccd_front,person=carol', 2) });
    const back = await post(sim, P.nationalId, { image: card('doc=cmnd_new_cccd_back,person=carol', 3) });
    const f1 = front1.json.result.details[0].fieldsExtracted;
    expect(front2.json.result.details[0].fieldsExtracted).toEqual(f1);
    expect(back.json.result.details[0].fieldsExtracted.doi.value).toBe(f1.doi.value);
  });

  it('gives cards that src/vn finds nothing wrong with, unless a marker flag says otherwise', async () => {
    // The simulator's calendar is Vietnam's.
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const readCard = async (marker: string): Promise<OcrDocument> => {
      const doc = (await post(sim, P.nationalId, { image: card(marker) })).json.result.details[0];
      const fields = Object.entries(doc.fieldsExtracted as Record<string, Json>).map(([name, f]) => [name, { value: f.value, review: f['to-be-reviewed'] === 'yes' }]);
      return { type: doc.type, fields: Object.fromEntries(fields), checks: {} };
    };
    for (let i = 0; i < 16; i++) {
      const person = `person=vn${i}`;
      const chip = [await readCard(`doc=cccd_chip_front,${person}`), await readCard(`doc=cccd_chip_back,${person}`)];
      expect(checkDocuments(chip, today), person).toEqual([]);
      expect(checkDocuments([await readCard(`doc=cccd_front,${person}`)], today), person).toEqual([]);
    }
    const flagged = [await readCard('doc=cccd_chip_front,person=vn0,expired,gender-mismatch'), await readCard('doc=cccd_chip_back,person=vn0,expired')];
    expect(checkDocuments(flagged, today).map((f) => f.code)).toEqual(['sex-mismatch', 'expired']);
  });

  it('turns marker flags into checks and the reference summary codes', async () => {
    const res = await post(sim, P.nationalId, {
      image: card('doc=cccd_chip_front,blur,glare,screen,bw,partial,noface,expired,gender-mismatch'),
      qualityCheck: 'yes',
    });
    const doc = res.json.result.details[0];
    const summary = res.json.result.summary;
    expect(summary.action).toBe('Manual Review');
    expect(summary.details.map((d: Json) => d.code)).toEqual(['044', '045', '046', '047', '048', '049', '061', '063']);
    expect(summary.details.find((d: Json) => d.code === '048').message).toBe('CMND/CCCD bị mờ');
    expect(summary.details.find((d: Json) => d.code === '063').message).toBe('ID Number Gender Code Invalid');
    for (const c of Object.values(doc.qualityChecks) as Json[]) expect(c.value).toBe('yes');
    expect(doc.ruleChecks.idDOBGenderCodeInvalid.value).toBe('yes');
    const f = doc.fieldsExtracted;
    expect(Number(f.idNumber.value[3]) % 2).toBe(f.gender.value === 'Nam' ? 1 : 0);
    expect(toDate(f.doe.value).getTime()).toBeLessThan(todayUtc().getTime());

    const short = await post(sim, P.nationalId, { image: card('doc=cccd_front,id-length') });
    expect(short.json.result.details[0].fieldsExtracted.idNumber.value).toMatch(/^\d{11}$/);
    expect(short.json.result.details[0].ruleChecks.idNumberLengthMismatch.value).toBe('yes');
    expect(short.json.result.summary).toEqual({ action: 'Manual Review', details: [{ code: '064', message: 'CMND/CCCD không hợp lệ' }] });
  });

  it('marks review=<field> to be reviewed without failing the summary', async () => {
    const res = await post(sim, P.nationalId, { image: card('doc=cccd_chip_front,review=name,review=permanentaddress') });
    const f = res.json.result.details[0].fieldsExtracted;
    expect(f.name['to-be-reviewed']).toBe('yes');
    expect(f.permanentAddress['to-be-reviewed']).toBe('yes');
    expect(f.dob['to-be-reviewed']).toBe('no');
    expect(res.json.result.summary.action).toBe('pass');
  });

  it('lets unmarked images mostly pass, with a realistic mix of card types', async () => {
    const results = await Promise.all(Array.from({ length: 48 }, (_, i) => post(sim, P.nationalId, { image: card(undefined, 1000 + i), qualityCheck: 'yes' })));
    const flagged = results.filter((r) => r.json.result.summary.action !== 'pass').length;
    expect(flagged).toBeGreaterThan(0);
    expect(flagged).toBeLessThan(16);
    const types = new Set(results.map((r) => r.json.result.details[0].type));
    expect(types.size).toBeGreaterThanOrEqual(4);
  });

  it('answers 422 with summary 001 for tiny images and not-detected', async () => {
    for (const image of [makePng({ width: 32, height: 200 }), card('not-detected')]) {
      const res = await post(sim, P.nationalId, { image }, { transactionId: 'tx-422' });
      expect(res.status).toBe(422);
      expect(res.json).toMatchObject({
        status: 'failure',
        statusCode: '422',
        result: { summary: { action: 'Manual Review', details: [{ code: '001', message: 'Không nhận diện được CMND/ CCCD' }] } },
        error: 'Vietnam National ID Not Detected',
        transactionId: 'tx-422',
      });
      expect(res.json.requestId).toMatch(UUID);
    }
  });

  it('answers 400 "Invalid image file uploaded" for a missing image, two images, or a file that is not an image', async () => {
    const cases: Form[] = [{ qualityCheck: 'yes' }, { image: [card(), card(undefined, 1)] }, { image: Buffer.from('GIF but not really') }];
    for (const form of cases) {
      const res = await post(sim, P.nationalId, form, { transactionId: 'tx-400' });
      expect(res.status).toBe(400);
      expect(Object.keys(res.json)).toEqual(['status', 'statusCode', 'error', 'requestId', 'transactionId']);
      expect(res.json).toMatchObject({ status: 'failure', statusCode: '400', error: 'Invalid image file uploaded', transactionId: 'tx-400' });
    }
  });
});

describe('image formats', () => {
  const u16be = (n: number): Buffer => Buffer.from([n >> 8, n & 0xff]);
  const le = (n: number, bytes: number): Buffer => {
    const b = Buffer.alloc(bytes);
    b.writeUIntLE(n, 0, bytes);
    return b;
  };
  const jpeg = (w: number, h: number, marker?: string): Buffer => {
    const seg = (m: number, data: Buffer): Buffer => Buffer.concat([Buffer.from([0xff, m]), u16be(data.length + 2), data]);
    return Buffer.concat([
      Buffer.from([0xff, 0xd8]),
      seg(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
      ...(marker === undefined ? [] : [seg(0xfe, Buffer.from(`finos-mock:${marker}`))]),
      seg(0xc0, Buffer.from([8, ...u16be(h), ...u16be(w), 1, 1, 0x11, 0])),
      Buffer.from([0xff, 0xd9]),
    ]);
  };
  const riff = (chunk: string, data: Buffer): Buffer => Buffer.concat([Buffer.from('RIFF'), le(12 + data.length, 4), Buffer.from(`WEBP${chunk}`), le(data.length, 4), data]);
  const tiff = (w: number, h: number, little: boolean): Buffer => {
    const b = Buffer.alloc(8 + 2 + 2 * 12 + 4);
    const u16 = (v: number, at: number): number => (little ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
    const u32 = (v: number, at: number): number => (little ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at));
    b.write(little ? 'II' : 'MM', 0, 'latin1');
    u16(42, 2);
    u32(8, 4);
    u16(2, 8);
    // ImageWidth as a SHORT, ImageLength as a LONG: readers must handle both types.
    u16(256, 10);
    u16(3, 12);
    u32(1, 14);
    u16(w, 18);
    u16(257, 22);
    u16(4, 24);
    u32(1, 26);
    u32(h, 30);
    return b;
  };
  const ftyp = (brand: string): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from(`ftyp${brand}\0\0\0\0mif1${brand}`), Buffer.alloc(64)]);
  /** The formats of the reference's examples. */
  const accepted: Record<string, (w: number, h: number) => Buffer> = {
    jpeg: (w, h) => jpeg(w, h),
    png: (w, h) => makePng({ width: w, height: h }),
  };
  /** Well-formed 640×400 headers of other formats, then content that is no image at all. */
  const refused: Record<string, Buffer> = {
    gif: Buffer.concat([Buffer.from('GIF89a'), le(640, 2), le(400, 2), Buffer.alloc(20)]),
    bmp: (() => {
      const b = Buffer.alloc(54);
      b.write('BM', 0, 'latin1');
      b.writeUInt32LE(40, 14);
      b.writeInt32LE(640, 18);
      b.writeInt32LE(400, 22);
      return b;
    })(),
    'webp VP8X': riff('VP8X', Buffer.concat([Buffer.alloc(4), le(639, 3), le(399, 3)])),
    'webp VP8L': riff('VP8L', Buffer.concat([Buffer.from([0x2f]), le((639 | (399 << 14)) >>> 0, 4)])),
    'webp VP8': riff('VP8 ', Buffer.concat([Buffer.alloc(3), Buffer.from([0x9d, 0x01, 0x2a]), le(640, 2), le(400, 2)])),
    'tiff LE': tiff(640, 400, true),
    'tiff BE': tiff(640, 400, false),
    heic: ftyp('heic'),
    avif: ftyp('avif'),
    text: Buffer.from('GIF but not really'),
    empty: Buffer.alloc(0),
  };
  const INVALID = 'Invalid image file uploaded';

  it('reads the pixel size of a JPEG or a PNG from its header: under 64 px is 422, else read', async () => {
    for (const [name, make] of Object.entries(accepted)) {
      expect((await post(sim, P.nationalId, { image: make(63, 500) })).status, name).toBe(422);
      expect((await post(sim, P.nationalId, { image: make(500, 63) })).status, name).toBe(422);
      expect((await post(sim, P.nationalId, { image: make(640, 400) })).status, name).toBe(200);
    }
  });

  it('judges a file by its bytes alone: JPEG and PNG are read, anything else is 400, whatever its name and type', async () => {
    for (const [name, bytes] of Object.entries(refused)) {
      const res = await post(sim, P.nationalId, { image: new File([bytes], 'card.jpg', { type: 'image/jpeg' }) }, { transactionId: 'tx-f' });
      expect(res.status, name).toBe(400);
      expect(res.json, name).toEqual({ status: 'failure', statusCode: '400', error: INVALID, requestId: expect.stringMatching(UUID), transactionId: 'tx-f' });
    }
    for (const [name, make] of Object.entries(accepted)) {
      const res = await post(sim, P.nationalId, { image: new File([make(640, 400)], 'card.webp', { type: 'image/webp' }) });
      expect(res.status, name).toBe(200);
    }
  });

  it('refuses other formats in every image field of every endpoint, shaped as that endpoint’s other 400s', async () => {
    const img = face();
    const rows: [path: string, field: string, rest: Form][] = [
      [P.nationalId, 'image', {}],
      [P.dl, 'image', {}],
      [P.passport, 'image', {}],
      [P.mrc, 'image1', { image2: card() }],
      [P.mrc, 'image2', { image1: card() }],
      [P.verify, 'image1', { image2: img, type: 'selfie' }],
      [P.verify, 'image2', { image1: img, type: 'selfie' }],
      [P.verify, 'selfie', { id: img }],
      [P.verify, 'id', { selfie: img }],
      [P.liveness, 'image', {}],
      [P.index, 'image', { numberId: 'n-format', partition: 'formats' }],
      [P.search, 'image', { partition: 'formats' }],
    ];
    const tx = { transactionId: 'tx-fmt' };
    for (const [path, field, rest] of rows) {
      // An empty form is a 400 on every endpoint: the shape to match, with the message swapped.
      const other: Json = (await post(sim, path, {}, tx)).json;
      const expected =
        'messages' in other ? { ...other, messages: [{ code: 'BAD_REQUEST', message: INVALID }] } : { ...other, error: INVALID, requestId: expect.stringMatching(UUID) };
      for (const [name, bytes] of Object.entries(refused)) {
        const res = await post(sim, path, { ...rest, [field]: bytes }, tx);
        const what = `${path} ${field} ${name}`;
        expect(res.status, what).toBe(400);
        expect(Object.keys(res.json), what).toEqual(Object.keys(other));
        expect(res.json, what).toEqual(expected);
      }
    }
    expect((await post(sim, P.search, { image: img, partition: 'formats' })).json.data).toEqual([]);
  });

  it('finds the marker in a JPEG comment and in a PNG tEXt chunk keyed finos-mock', async () => {
    const fromJpeg = await post(sim, P.nationalId, { image: jpeg(300, 200, 'doc=cmnd_old_back') });
    expect(fromJpeg.json.result.details[0].type).toBe('cmnd_old_back');

    const png = card();
    const text = Buffer.from('tEXtfinos-mock\0doc=cccd_front,review=dob', 'latin1');
    const tEXt = Buffer.concat([Buffer.alloc(4), text, Buffer.alloc(4)]);
    tEXt.writeUInt32BE(text.length - 4, 0);
    tEXt.writeUInt32BE(crc32(text), tEXt.length - 4);
    const withKeyword = Buffer.concat([png.subarray(0, 33), tEXt, png.subarray(33)]); // after the signature and IHDR
    const fields = (await post(sim, P.nationalId, { image: withKeyword })).json.result.details[0];
    expect(fields.type).toBe('cccd_front');
    expect(fields.fieldsExtracted.dob['to-be-reviewed']).toBe('yes');
  });
});

describe('driver licence, passport, registration card', () => {
  it('reads a driver licence with conf, reviewing exactly the low-confidence fields', async () => {
    const res = await post(sim, P.dl, { image: card('doc=dl_new_front,review=expiry') }, { transactionId: 'tx-dl' });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual(['status', 'statusCode', 'result', 'requestId']);
    const [doc] = res.json.result;
    expect(doc.type).toBe('dl_new_front');
    expect(Object.keys(doc.details)).toEqual(['name', 'dob', 'expiry', 'address', 'nationality']);
    for (const f of Object.values(doc.details) as Json[]) expect(f.conf < 0.8).toBe(f['to-be-reviewed'] === 'yes');
    expect(doc.details.expiry['to-be-reviewed']).toBe('yes');
    expect(doc.details.dob.value).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
  });

  it('answers the licence errors: 400 one input image, 422 not detected', async () => {
    const missing = await post(sim, P.dl, {}, { transactionId: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ status: 'failure', statusCode: '400', error: 'API call requires one input image', transactionId: 'x' });
    const tiny = await post(sim, P.dl, { image: makePng({ width: 63, height: 63 }) });
    expect(tiny.status).toBe(422);
    expect(tiny.json).toMatchObject({ statusCode: '422', error: 'Driver License Not Detected' });
  });

  it('reads a passport like the sample, with its fraudCheck', async () => {
    const res = await post(sim, P.passport, { image: card('doc=vn_passport_front,bw,person=dan') });
    const [doc] = res.json.result;
    expect(doc.type).toBe('vn_passport_front');
    expect(Object.keys(doc.details)).toEqual([
      'place_of_issue', 'passport_num', 'type', 'name', 'dob', 'gender', 'doe', 'doi', 'country_code', 'place_of_birth', 'nationality', 'fraudCheck', 'id',
    ]);
    expect(doc.details.fraudCheck.isBlackWhite.value).toBe('yes');
    expect(doc.details.country_code.value).toBe('VNM');
    expect(['NAM/M', 'NỮ/F']).toContain(doc.details.gender.value);
    expect(doc.details.place_of_birth.value).toMatch(/^(TỈNH|THÀNH PHỐ) /);
    // Passports run 10 years from issue.
    expect(parts(doc.details.doe.value)[2] - parts(doc.details.doi.value)[2]).toBe(10);
    const missed = await post(sim, P.passport, { image: card('not-detected') }, { transactionId: 't' });
    expect(missed.status).toBe(422);
    expect(missed.json).toMatchObject({ statusCode: '422', error: 'Passport not detected', transactionId: 't' });
  });

  it('reads one or two registration cards and answers the MRC errors', async () => {
    const res = await post(sim, P.mrc, { image1: card('doc=old_register_card_back'), image2: card('doc=new_register_card_back') }, { transactionId: 'tx-mrc' });
    expect(res.status).toBe(200);
    expect(res.json.transactionId).toBe('tx-mrc');
    expect(res.json.result.map((r: Json) => r.type)).toEqual(['old_register_card_back', 'new_register_card_back']);
    expect(Object.keys(res.json.result[1].details)).toEqual([
      'name', 'address', 'brand', 'kind', 'color', 'engine-number', 'chassis-number', 'number-plate', 'place-registration',
      'first-registration-date', 'last-registration-date', 'place-of-issue',
    ]);
    expect(res.json.result[1].details['chassis-number'].value).toMatch(/^[A-Z0-9]{17}$/);

    const onlyImage2 = await post(sim, P.mrc, { image2: card() });
    expect(onlyImage2.json).toMatchObject({ statusCode: '400', error: 'API call requires one input image' });
    const twice = await post(sim, P.mrc, { image1: [card(), card(undefined, 1)] });
    expect(twice.json).toMatchObject({ statusCode: '400', error: 'Invalid image file uploaded' });
    const undetected = await post(sim, P.mrc, { image1: card('doc=old_register_card_back'), image2: card('not-detected') });
    expect(undetected.status).toBe(422);
    expect(undetected.json).toMatchObject({ statusCode: '422', error: 'MRC Not Detected' });
  });
});

describe('face comparison and liveness', () => {
  const compare = async (a: Buffer, b: Buffer, headers: Record<string, string> = {}): Promise<Res> => post(sim, P.verify, { image1: a, image2: b, type: 'selfie' }, headers);

  it('scores identical bytes 99–100, the same person= 85–97, strangers at most 70, symmetrically', async () => {
    const alice = face('person=alice');
    const same = await compare(alice, alice);
    expect(Object.keys(same.json)).toEqual(['requestId', 'result', 'status', 'statusCode']);
    expect(same.json.result.match_score).toBeGreaterThanOrEqual(99);
    expect(same.json.result['match-score']).toBe(same.json.result.match_score);
    expect(same.json.result.match).toBe('yes');

    const alice2 = face('person=alice', 5);
    const samePerson = await compare(alice, alice2);
    expect(samePerson.json.result.match_score).toBeGreaterThanOrEqual(85);
    expect(samePerson.json.result.match_score).toBeLessThanOrEqual(97);
    expect(samePerson.json.result.match).toBe('yes');
    expect((await compare(alice2, alice)).json.result.match_score).toBe(samePerson.json.result.match_score);

    const stranger = await compare(alice, face('person=mallory'));
    expect(stranger.json.result.match_score).toBeLessThanOrEqual(70);
    expect(stranger.json.result.match).toBe('no');
    expect(stranger.json.result.conf).toBeGreaterThanOrEqual(85);
  });

  it('honours the threshold header and compares selfie with id', async () => {
    const a = face('person=erin');
    const b = face('person=erin', 9);
    const strict = await post(sim, P.verify, { selfie: a, id: b }, { threshold: '98' });
    expect(strict.status).toBe(200);
    expect(strict.json.result.match).toBe('no');
    const lenient = await post(sim, P.verify, { selfie: a, id: b }, { threshold: '50' });
    expect(lenient.json.result.match).toBe('yes');
    const bad = await post(sim, P.verify, { selfie: a, id: b }, { threshold: '150' });
    expect(bad.status).toBe(400);
  });

  it('answers 400 for a wrong combination of parameters', async () => {
    const img = face();
    const forms: Form[] = [{ image1: img, type: 'selfie' }, { image1: img, image2: img }, { selfie: img, id: img, image1: img }, { selfie: img }];
    for (const form of forms) {
      const res = await post(sim, P.verify, form);
      expect(res.status).toBe(400);
      expect(Object.keys(res.json)).toEqual(['requestId', 'status', 'statusCode', 'error']);
      expect(res.json.error).toMatch(/^Missing \/ Wrong combination of parameters\. Valid Parameter combinations - \(image1, image2, type\)/);
    }
  });

  it('accepts fraudCheckLiveness=yes only for the selfie that passed liveness in the same transaction', async () => {
    const selfie = face('person=frank');
    const idCard = card('person=frank');
    const live = await post(sim, P.liveness, { image: selfie }, { transactionId: 'tx-live' });
    expect(live.status).toBe(200);
    const ok = await post(sim, P.verify, { selfie, id: idCard, fraudCheckLiveness: 'yes' }, { transactionId: 'tx-live' });
    expect(ok.status).toBe(200);
    expect(ok.json.result.match).toBe('yes');
    for (const [form, headers] of [
      [{ selfie: face('person=frank', 2), id: idCard, fraudCheckLiveness: 'yes' }, { transactionId: 'tx-live' }],
      [{ selfie, id: idCard, fraudCheckLiveness: 'yes' }, { transactionId: 'tx-other' }],
      [{ selfie, id: idCard, fraudCheckLiveness: 'yes' }, {}],
    ] as const) {
      const res = await post(sim, P.verify, form, headers);
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ status: 'failure', statusCode: '400', error: 'Fraud check liveness failed' });
    }
    const unchecked = await post(sim, P.verify, { selfie: face('person=frank', 3), id: idCard, fraudCheckLiveness: 'no' });
    expect(unchecked.status).toBe(200);
  });

  it('checks liveness: a clean selfie passes, flags give the reference codes', async () => {
    const clean = await post(sim, P.liveness, { image: face('person=gina') }, { transactionId: 'tx-l' });
    expect(clean.json).toMatchObject({ status: 'success', statusCode: '200', transactionId: 'tx-l' });
    expect(clean.json.result).toEqual({
      liveFace: { value: 'yes', 'to-be-reviewed': 'no' },
      qualityChecks: {
        blur: { value: 'no', 'to-be-reviewed': 'no' },
        eyesClosed: { value: 'no', 'to-be-reviewed': 'no' },
        maskPresent: { value: 'no', 'to-be-reviewed': 'no' },
        multipleFaces: { value: 'no', 'to-be-reviewed': 'no' },
      },
      summary: { action: 'pass', details: [] },
    });
    const spoof = await post(sim, P.liveness, { image: face('not-live,mask') });
    expect(spoof.json.result.liveFace.value).toBe('no');
    expect(spoof.json.result.qualityChecks.maskPresent.value).toBe('yes');
    expect(spoof.json.result.summary).toEqual({
      action: 'manualReview',
      details: [
        { code: '111', message: 'Selfie Not Live' },
        { code: '114', message: 'Mask detected in selfie' },
      ],
    });
    const poor = await post(sim, P.liveness, { image: face('eyes-closed,multi-face,blur') });
    expect(poor.json.result.summary.details.map((d: Json) => d.code)).toEqual(['112', '113', '115']);
    expect(poor.json.result.liveFace.value).toBe('yes');

    const missing = await post(sim, P.liveness, {}, { transactionId: 'tx-m' });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ statusCode: '400', error: 'image is required', transactionId: 'tx-m' });
  });
});

describe('face indexing and search', () => {
  it('indexes a face, refuses a duplicate numberId and incomplete requests', async () => {
    const res = await post(sim, P.index, { image: face('person=henry'), numberId: 'n-1', partition: 'idx-test' });
    expect(res.status).toBe(200);
    expect(res.json.messages).toEqual([{ code: 'SUCCESS', message: 'Operation successful.' }]);
    const data = res.json.data;
    expect(data.milvusId).toMatch(/^\d+$/);
    expect(data.idNumber).toBe('n-1');
    expect(data.indexingTime).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const url = new URL(data.facePath);
    expect(url.host).toBe('storage.simulator.invalid');
    expect(url.pathname).toContain('/FACE_INDEXING/idx-test/');
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);

    const dup = await post(sim, P.index, { image: face('person=ivy'), numberId: 'n-1', partition: 'idx-test' });
    expect(dup.status).toBe(400);
    expect(dup.json).toEqual({ messages: [{ code: 'BAD_REQUEST', message: 'Id number has been duplicated' }], data: null });
    const incomplete: Form[] = [{ image: face(), partition: 'idx-test' }, { image: face(), numberId: 'n-2' }];
    for (const form of incomplete) {
      const bad = await post(sim, P.index, form);
      expect(bad.status).toBe(400);
      expect(bad.json).toEqual({ messages: [{ code: 'BAD_REQUEST', message: 'Invalid request.' }], data: null });
    }
    const noImage = await post(sim, P.index, { numberId: 'n-3', partition: 'idx-test' });
    expect(noImage.json).toEqual({ messages: [{ code: 'BAD_REQUEST', message: 'Invalid image file uploaded' }], data: null });
  });

  it('ranks a partition by similarity, the same image first, at most 10', async () => {
    const target = face('person=jack');
    await post(sim, P.index, { image: target, numberId: 'jack', partition: 'rank' });
    for (let i = 0; i < 11; i++) await post(sim, P.index, { image: face(`person=other${i}`), numberId: `o${i}`, partition: 'rank' });
    const res = await post(sim, P.search, { image: target, partition: 'rank' });
    expect(res.status).toBe(200);
    const data: Json[] = res.json.data;
    expect(data).toHaveLength(10);
    expect(Object.keys(data[0])).toEqual(['milvusId', 'similar', 'idNumber', 'facePath', 'indexingTime']);
    expect(data[0].idNumber).toBe('jack');
    expect(data[0].similar).toBeGreaterThanOrEqual(99);
    for (let i = 1; i < data.length; i++) expect(data[i].similar).toBeLessThanOrEqual(data[i - 1].similar);

    const anotherPhoto = await post(sim, P.search, { image: face('person=jack', 4), partition: 'rank' });
    expect(anotherPhoto.json.data[0].idNumber).toBe('jack');
    expect(anotherPhoto.json.data[0].similar).toBeGreaterThanOrEqual(85);

    const empty = await post(sim, P.search, { image: target, partition: 'nobody-here' });
    expect(empty.json).toEqual({ messages: [{ code: 'SUCCESS', message: 'Operation successful.' }], data: [] });
    const noPartition = await post(sim, P.search, { image: target });
    expect(noPartition.json).toEqual({ messages: [{ code: 'BAD_REQUEST', message: 'Invalid request.' }], data: null });
  });

  it('keeps collections per API key', async () => {
    await withSim({}, async (open) => {
      const img = face('person=kim');
      expect((await post(open, P.index, { image: img, numberId: 'k', partition: 'p' }, { 'x-finos-api-key': 'key-a' })).status).toBe(200);
      const other = await post(open, P.search, { image: img, partition: 'p' }, { 'x-finos-api-key': 'key-b' });
      expect(other.json.data).toEqual([]);
      expect((await post(open, P.index, { image: img, numberId: 'k', partition: 'p' }, { 'x-finos-api-key': 'key-b' })).status).toBe(200);
    });
  });
});

describe('transaction history', () => {
  it('returns stored calls, most recent first, with data as a JSON string in the history spelling', async () => {
    const ocr = await post(sim, P.nationalId, { image: card('doc=cccd_chip_front'), qualityCheck: 'yes' }, { transactionId: 'tx-h' });
    const cmp = await post(sim, P.verify, { image1: face('person=liz'), image2: face('person=liz', 1), type: 'selfie' });
    const bad = await post(sim, P.nationalId, {});
    const ids = [ocr.json.requestId, cmp.json.requestId, bad.json.requestId, '00000000-0000-0000-0000-000000000000'];
    const res = await post(sim, P.history, { requestIds: ids.join(',') });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual(['requestId', 'result', 'status', 'statusCode']);
    const txs: Json[] = res.json.result.details.transactions;
    expect(txs.map((t) => [t.apiCode, t.statusCode])).toEqual([
      ['OCR_NATIONALID', '400'],
      ['FACE_COMPARE', '200'],
      ['OCR_NATIONALID', '200'],
    ]);
    for (const t of txs) {
      expect(typeof t.data).toBe('string');
      expect(t.requestTime).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
    }
    const ocrData = JSON.parse(txs[2].data);
    expect(ocrData.requestId).toBe(ocr.json.requestId);
    expect(ocrData.result.details[0].fieldsExtracted.idNumber).toEqual({ value: ocr.json.result.details[0].fieldsExtracted.idNumber.value, toBeReviewed: 'no' });
    expect(txs[2].data).not.toContain('to-be-reviewed');
    const cmpData = JSON.parse(txs[1].data);
    expect(cmpData.result.matchScore).toBe(cmp.json.result.match_score);
    expect(cmpData.result.match_score).toBe(cmp.json.result.match_score);
    expect(new URL(txs[1].imagePath1).host).toBe('storage.simulator.invalid');
    expect(new URL(txs[1].imagePath2).pathname).toBe(`/finos-simulator-bucket/ekyc-transaction/${cmp.json.requestId}/image2.jpg`);
    expect(txs[2]).not.toHaveProperty('imagePath2');
    expect(txs[0]).not.toHaveProperty('imagePath1');
  });

  it('reads the fields of a URL-encoded body too, and a form sent in tiny chunks', async () => {
    const ocr = await post(sim, P.nationalId, { image: card() });
    const urlencoded = await request(`${sim.url}${P.history}`, {
      method: 'POST',
      body: new URLSearchParams({ requestIds: ocr.json.requestId }).toString(),
      headers: { 'x-finos-api-key': KEY, 'content-type': 'application/x-www-form-urlencoded' },
    });
    const listed = (await urlencoded.body.json()) as Json;
    expect(listed.result.details.transactions.map((t: Json) => JSON.parse(t.data).requestId)).toEqual([ocr.json.requestId]);

    const image = card('doc=cccd_chip_front');
    const form = new FormData();
    form.append('image', new Blob([image], { type: 'image/png' }), 'card.png');
    const encoded = new Response(form);
    const bytes = Buffer.from(await encoded.arrayBuffer());
    const pieces = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(7 * i, 7 * i + 7));
    const res = await postRaw(sim, P.nationalId, encoded.headers.get('content-type') ?? '', pieces);
    expect(res.status).toBe(200);
    expect(sim.requests.at(-1)?.files).toEqual([{ field: 'image', filename: 'card.png', size: image.length, fingerprint: fingerprintOf(image), contentType: 'image/png', format: 'png', width: 200, height: 120 }]);
  });

  it('answers 400 when requestIds is empty or missing', async () => {
    const forms: Form[] = [{ requestIds: ' , ' }, {}];
    for (const form of forms) {
      const res = await post(sim, P.history, form);
      expect(res.status).toBe(400);
      expect(Object.keys(res.json)).toEqual(['requestId', 'status', 'statusCode', 'error']);
      expect(res.json).toMatchObject({ status: 'failure', statusCode: '400', error: 'Param [RequestIds] cannot empty' });
    }
  });
});

describe('gateway behaviour', () => {
  it('answers 401 with the per-endpoint body and records the key redacted', async () => {
    const wrong = await post(sim, P.nationalId, { image: card() }, { 'x-finos-api-key': 'nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toEqual({ message: 'Unauthorized', http_status_code: 401 });
    const dl = await post(sim, P.dl, { image: card() }, { 'x-finos-api-key': '' });
    expect(dl.status).toBe(401);
    expect(dl.json).toEqual({ requestId: '', status: 'failure', statusCode: '401', error: 'API Key is not valid or is expired / revoked.' });
    const [first, second] = sim.requests.slice(-2);
    expect(first?.headers['x-finos-api-key']).toBe('[redacted]');
    expect(first?.apiKeyPresent).toBe(true);
    expect(second?.apiKeyPresent).toBe(false);
    expect(first?.status).toBe(401);
  });

  it('answers 413 over maxUploadBytes and closes the connection, for declared and chunked bodies', async () => {
    await withSim({ maxUploadBytes: 64 * 1024 }, async (small) => {
      const big = Buffer.concat([card(), Buffer.alloc(200 * 1024)]);
      const declared = await post(small, P.nationalId, { image: big });
      expect(declared.status).toBe(413);
      expect(declared.headers.connection).toBe('close');
      expect(declared.json).toEqual({ message: 'The request is larger than the server is willing or able to process', http_status_code: 413 });

      const boundary = 'sim-boundary';
      async function* chunked(): AsyncGenerator<Buffer> {
        yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`);
        yield card();
        for (let i = 0; i < 64; i++) yield Buffer.alloc(16 * 1024);
        yield Buffer.from(`\r\n--${boundary}--\r\n`);
      }
      const res = await request(`${small.url}${P.liveness}`, {
        method: 'POST',
        body: Readable.from(chunked()),
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      expect(res.statusCode).toBe(413);
      expect(await res.body.json()).toMatchObject({ statusCode: '413' });
      expect(small.requests.map((r) => r.status)).toEqual([413, 413]);
    });
  });

  it('forgets a client that hangs up mid-upload', async () => {
    await withSim({}, async (s) => {
      const socket = connect(s.port, '127.0.0.1');
      await once(socket, 'connect');
      socket.write(`POST ${P.liveness} HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(s.stats().inFlight).toBe(1);
      socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(s.stats()).toMatchObject({ total: 1, inFlight: 0 });
      expect(s.requests.map((r) => r.status)).toEqual([0]);
    });
  });

  it('streams big uploads: fingerprint and size without holding the file', async () => {
    await withSim({ maxUploadBytes: 300 * 1024 * 1024 }, async (roomy) => {
      const boundary = 'big-boundary';
      const head = card('doc=cccd_chip_front');
      const block = Buffer.alloc(1024 * 1024, 7);
      const blocks = 200;
      async function* body(): AsyncGenerator<Buffer> {
        yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="image"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`);
        yield head;
        for (let i = 0; i < blocks; i++) yield block;
        yield Buffer.from(`\r\n--${boundary}--\r\n`);
      }
      global.gc?.();
      const before = process.memoryUsage().rss;
      const res = await request(`${roomy.url}${P.nationalId}`, { method: 'POST', body: Readable.from(body()), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
      expect(res.statusCode).toBe(200);
      await res.body.json();
      const grown = process.memoryUsage().rss - before;
      expect(grown).toBeLessThan(100 * 1024 * 1024);
      const [file] = roomy.requests.at(-1)?.files ?? [];
      expect(file).toMatchObject({ field: 'image', filename: 'big.png', size: head.length + blocks * block.length, fingerprint: fingerprintOf(head, ...Array<Buffer>(blocks).fill(block)) });
    });
  });

  it('answers 429 over rateLimitPerMinute per key, with Retry-After in whole seconds', async () => {
    await withSim({ rateLimitPerMinute: 2 }, async (limited) => {
      const h = { 'x-finos-api-key': 'key-a' };
      expect((await post(limited, P.liveness, { image: face() }, h)).status).toBe(200);
      expect((await post(limited, P.liveness, { image: face() }, h)).status).toBe(200);
      const over = await post(limited, P.liveness, { image: face() }, h);
      expect(over.status).toBe(429);
      expect(over.json).toEqual({ requestId: '', status: 'failure', statusCode: '429', error: 'Rate limit exceeded' });
      const retryAfter = Number(over.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(59);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await post(limited, P.liveness, { image: face() }, { 'x-finos-api-key': 'key-b' })).status).toBe(200);
    });
  });

  it('answers 404 for unknown paths and 405 for other methods', async () => {
    const missing = await request(`${sim.url}/ekyc/ocr/v9/nothing`, { method: 'POST' });
    expect(missing.statusCode).toBe(404);
    expect(await missing.body.json()).toMatchObject({ statusCode: '404' });
    const get = await request(`${sim.url}${P.nationalId}`);
    expect(get.statusCode).toBe(405);
    expect(get.headers.allow).toBe('POST');
    await get.body.dump();
  });

  it('compresses with the first of gzip, br, deflate that the client lists', async () => {
    const gz = await request(`${sim.url}${P.history}`, { method: 'POST', headers: { 'accept-encoding': 'gzip, deflate, br', 'x-finos-api-key': KEY } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(Buffer.from(await gz.body.arrayBuffer())).toString())).toMatchObject({ error: 'Param [RequestIds] cannot empty' });
    const br = await request(`${sim.url}${P.history}`, { method: 'POST', headers: { 'accept-encoding': 'br;q=1, gzip', 'x-finos-api-key': KEY } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(Buffer.from(await br.body.arrayBuffer())).toString())).toMatchObject({ statusCode: '400' });
    const plain = await request(`${sim.url}${P.history}`, { method: 'POST', headers: { 'accept-encoding': 'gzip;q=0, identity', 'x-finos-api-key': KEY } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(await plain.body.json()).toMatchObject({ statusCode: '400' });
    await withSim({ compress: false }, async (raw) => {
      const res = await request(`${raw.url}${P.history}`, { method: 'POST', headers: { 'accept-encoding': 'gzip' } });
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(await res.body.json()).toMatchObject({ statusCode: '400' });
    });
  });
});

describe('form uploads', () => {
  const B = 'XyZboundary';
  const FORM = `multipart/form-data; boundary=${B}`;
  const fieldPart = (name: string, value: string): string => `--${B}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const filePart = (name: string, disposition: string, bytes: Buffer): Buffer =>
    Buffer.concat([Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="${name}"; ${disposition}\r\nContent-Type: image/png\r\n\r\n`), bytes, Buffer.from('\r\n')]);
  const END = `--${B}--\r\n`;
  const logged = (): RecordedRequest | undefined => sim.requests.at(-1);

  it('reads a form however the body is cut, down to one byte per chunk, whatever the file holds', async () => {
    // After the image, bytes that look like CRLF, dashes and most of the boundary: only the whole delimiter ends it.
    const file = Buffer.concat([card('doc=cccd_chip_front'), Buffer.from(`\r\n--XyZ\r\n--${B.slice(0, -1)}`), Buffer.alloc(3000, 7), Buffer.from('\r\n-')]);
    const body = Buffer.concat([
      Buffer.from(`preamble to ignore\r\n${fieldPart('partition', 'bank-a')}`),
      Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="image"; filename="C:\\\\scans\\\\card.png"\r\nContent-Type: Image/PNG\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${B}\r\ncontent-disposition: form-data; name="numberId"\r\n\r\n0790123456\r\n${END}epilogue`),
    ]);
    for (const sent of [body, [...body].map((byte) => Buffer.from([byte]))]) {
      const res = await postRaw(sim, P.nationalId, FORM, sent);
      expect(res.status).toBe(200);
      expect(res.json.result.details[0].type).toBe('cccd_chip_front');
      expect(logged()?.fields).toEqual({ partition: 'bank-a', numberId: '0790123456' });
      expect(logged()?.files).toEqual([{ field: 'image', filename: 'card.png', contentType: 'image/png', size: file.length, fingerprint: fingerprintOf(file), format: 'png', width: 200, height: 120 }]);
    }
  });

  it('reads UTF-8 field names and file names, plain or RFC 8187', async () => {
    const image = card();
    for (const disposition of [`filename*=utf-8''%E1%BA%A3nh%20ch%E1%BB%A5p.png`, 'filename="ảnh chụp.png"']) {
      const body = Buffer.concat([Buffer.from(fieldPart('họ tên', 'Nguyễn')), filePart('image', disposition, image), Buffer.from(END)]);
      const res = await postRaw(sim, P.nationalId, FORM, body);
      expect(res.status, disposition).toBe(200);
      expect(logged()?.fields, disposition).toEqual({ 'họ tên': 'Nguyễn' });
      expect(logged()?.files, disposition).toMatchObject([{ field: 'image', filename: 'ảnh chụp.png', size: image.length }]);
    }
  });

  it('keeps the complete parts of a cut-short or malformed form, and reads any other body as an empty form', async () => {
    const image = card();
    const first = fieldPart('a', '1');
    const imagePart = filePart('image', 'filename="x.png"', image);
    const cutAfterImage = await postRaw(sim, P.nationalId, FORM, Buffer.concat([Buffer.from(first), imagePart, Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="b"\r\n\r\nhal`)]));
    expect(cutAfterImage.status).toBe(200);
    expect(logged()?.fields).toEqual({ a: '1' });
    expect(logged()?.files).toMatchObject([{ field: 'image', size: image.length }]);

    const cases: [string, string, Buffer][] = [
      ['cut in the image', FORM, Buffer.concat([Buffer.from(first), imagePart.subarray(0, imagePart.length - 20)])],
      ['a malformed part header', FORM, Buffer.from(`${first}--${B}\r\nContent-Disposition form-data; name="b"\r\n\r\n2\r\n${END}`)],
      ['an endless part header', FORM, Buffer.from(`${first}--${B}\r\nContent-Disposition: form-data; name="h"\r\nX: ${'y'.repeat(20_000)}\r\n\r\n`)],
      ['not a form', 'text/plain', Buffer.from(first)],
      ['no boundary', 'multipart/form-data', Buffer.from(first)],
    ];
    for (const [what, contentType, body] of cases) {
      const res = await postRaw(sim, P.nationalId, contentType, body);
      expect(res.json, what).toMatchObject({ statusCode: '400', error: 'Invalid image file uploaded' });
      expect(logged()?.fields, what).toEqual(contentType === FORM ? { a: '1' } : {});
      expect(logged()?.files, what).toEqual([]);
    }
  });

  it('keeps 1 MB of a field and reads at most 20 files', async () => {
    const files = Array.from({ length: 22 }, (_, i) => filePart(`f${i}`, `filename="f${i}.png"`, Buffer.from([i])));
    await postRaw(sim, P.liveness, FORM, Buffer.concat([Buffer.from(fieldPart('long', 'a'.repeat(1024 * 1024 + 10))), ...files, Buffer.from(END)]));
    expect(logged()?.fields.long).toBe('a'.repeat(1024 * 1024));
    expect(logged()?.files.map((f) => f.field)).toEqual(Array.from({ length: 20 }, (_, i) => `f${i}`));
  });
});

describe('fault injection', () => {
  it('answers an injected status with the documented body and Retry-After, for count requests', async () => {
    sim.injectFaults({ status: 503, retryAfter: 7, count: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await post(sim, P.liveness, { image: face() });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('7');
      expect(res.json).toEqual({ requestId: '', status: 'failure', statusCode: '503', error: 'Service Unavailable' });
    }
    expect((await post(sim, P.liveness, { image: face() })).status).toBe(200);
  });

  it('uses each endpoint family’s documented 500 body', async () => {
    sim.injectFaults({ status: 500, count: 3 });
    expect((await post(sim, P.nationalId, { image: card() })).json).toEqual({ status: 'failure', statusCode: '500', error: 'Internal Server Error' });
    const mrc = await post(sim, P.mrc, { image1: card() }, { transactionId: 'tx-500' });
    expect(mrc.json).toMatchObject({ status: 'failure', statusCode: '500', error: 'Internal Server Error', transactionId: 'tx-500' });
    expect(mrc.json.requestId).toMatch(UUID);
    expect((await post(sim, P.search, { image: face(), partition: 'p' })).json).toEqual({
      ' messages': { code: 'E9999', message: 'Internal Server Error' },
      data: null,
    });
  });

  it('sends a raw body exactly, e.g. an HTML 200 from a misbehaving proxy', async () => {
    sim.injectFaults({ status: 200, body: '<html>gateway</html>', contentType: 'text/html' });
    const res = await request(`${sim.url}${P.nationalId}`, { method: 'POST', body: 'x', headers: { 'x-finos-api-key': KEY } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html');
    expect(await res.body.text()).toBe('<html>gateway</html>');
  });

  it('matches faults by path and consumes them in order', async () => {
    sim.injectFaults({ status: 502, path: P.liveness });
    sim.injectFaults({ status: 504 });
    expect((await post(sim, P.nationalId, { image: card() })).status).toBe(504);
    expect((await post(sim, P.nationalId, { image: card() })).status).toBe(200);
    const liveness = await post(sim, P.liveness, { image: face() });
    expect(liveness.status).toBe(502);
    expect(liveness.json).toMatchObject({ statusCode: '502' });
  });

  it('delays a response by delayMs', async () => {
    sim.injectFaults({ delayMs: 300 });
    const started = Date.now();
    const res = await post(sim, P.liveness, { image: face() });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    sim.injectFaults({ delayMs: 2_000 });
    await expect(request(`${sim.url}${P.liveness}`, { method: 'POST', headersTimeout: 200 })).rejects.toThrow();
  });

  it('drops the connection before processing: nothing took effect', async () => {
    sim.injectFaults({ reset: 'before-processing' });
    await expect(post(sim, P.index, { image: face('person=max'), numberId: 'reset-1', partition: 'resets' })).rejects.toThrow();
    expect(sim.requests.at(-1)?.status).toBe(0);
    expect((await post(sim, P.index, { image: face('person=max'), numberId: 'reset-1', partition: 'resets' })).status).toBe(200);
  });

  it('drops the connection after processing: the face is indexed all the same', async () => {
    sim.injectFaults({ reset: 'after-processing' });
    await expect(post(sim, P.index, { image: face('person=ned'), numberId: 'reset-2', partition: 'resets' })).rejects.toThrow();
    const again = await post(sim, P.index, { image: face('person=ned'), numberId: 'reset-2', partition: 'resets' });
    expect(again.json.messages[0].message).toBe('Id number has been duplicated');
  });

  it('truncates the body under a full Content-Length', async () => {
    sim.injectFaults({ truncate: true });
    const res = await request(`${sim.url}${P.history}`, { method: 'POST', headers: { 'x-finos-api-key': KEY, 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(Number(res.headers['content-length'])).toBeGreaterThan(10);
    await expect(res.body.text()).rejects.toThrow();
  });
});

describe('simulator controls', () => {
  const control = async (target: Simulator, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> => {
    const res = await request(`${target.url}/__simulator/${path}`, { method: method as 'GET', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.statusCode, json: await res.body.json() };
  };

  it('drives faults, stats and the request log over HTTP, without counting itself', async () => {
    expect(await control(sim, 'POST', 'faults', [{ status: 502, count: 2 }, { delayMs: 1 }])).toEqual({ status: 200, json: { pending: 3 } });
    expect((await post(sim, P.liveness, { image: face() })).status).toBe(502);
    expect(await control(sim, 'DELETE', 'faults')).toEqual({ status: 200, json: { pending: 0 } });
    const image = face('person=olga');
    expect((await post(sim, P.liveness, { image, note: 'hello' }, { transactionId: 'tx-c' })).status).toBe(200);

    const stats = await control(sim, 'GET', 'stats');
    expect(stats.json).toEqual({ total: 2, inFlight: 0, maxInFlight: 1, byPath: { [P.liveness]: 2 }, bytesReceived: expect.any(Number) });
    expect(stats.json.bytesReceived).toBeGreaterThan(face().length + image.length);
    const log = await control(sim, 'GET', 'requests');
    const last = log.json.at(-1);
    expect(last).toMatchObject({ method: 'POST', path: P.liveness, apiKeyPresent: true, fields: { note: 'hello' }, status: 200 });
    expect(last.headers['x-finos-api-key']).toBe('[redacted]');
    expect(last.headers.transactionid).toBe('tx-c');
    expect(last.files).toEqual([{ field: 'image', filename: 'image.png', size: image.length, fingerprint: fingerprintOf(image), contentType: 'image/png', format: 'png', width: 120, height: 160 }]);

    expect((await control(sim, 'POST', 'stats/reset')).json).toMatchObject({ total: 0, byPath: {}, bytesReceived: 0 });
    const invalid = await control(sim, 'POST', 'faults', { reset: 'sometimes' });
    expect(invalid.status).toBe(400);
    expect((await control(sim, 'GET', 'nothing')).status).toBe(404);
    expect((await control(sim, 'PUT', 'stats')).status).toBe(405);
    expect(sim.stats().total).toBe(0);
  });

  it('keeps the last requestLogSize requests, oldest first', async () => {
    await withSim({ requestLogSize: 3 }, async (s) => {
      for (const partition of ['a', 'b', 'c', 'd', 'e']) await post(s, P.search, { image: face(), partition });
      expect(s.requests.map((r) => r.fields.partition)).toEqual(['c', 'd', 'e']);
    });
  });

  it('counts concurrent requests in flight and adds latencyMs', async () => {
    await withSim({ latencyMs: 150 }, async (slow) => {
      const started = Date.now();
      const results = await Promise.all(Array.from({ length: 6 }, () => post(slow, P.liveness, { image: face() })));
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(145);
      expect(slow.stats()).toMatchObject({ total: 6, inFlight: 0, maxInFlight: 6, byPath: { [P.liveness]: 6 } });
      for (let i = 0; i < 3; i++) await post(slow, P.liveness, { image: face() });
      slow.resetStats();
      await post(slow, P.liveness, { image: face() });
      expect(slow.stats()).toMatchObject({ total: 1, maxInFlight: 1 });
    });
  });
});
