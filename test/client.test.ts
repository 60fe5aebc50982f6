import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, MockAgent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AbortedError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  EmptyFileError,
  FileNotFoundError,
  FileTooLargeError,
  FinosClient,
  GatewayTimeoutError,
  InvalidArgumentError,
  InvalidResponseError,
  NotAFileError,
  NotAnImageError,
  NotDetectedError,
  PayloadTooLargeError,
  RateLimitError,
  ServerError,
  TimeoutError,
  UnreadableImageError,
  type ClientEvent,
} from '../src/index.js';
import { startSimulator, type Simulator } from '../src/mock/index.js';
import { makePng, pngWithPadding } from './helpers/png.js';
import { startConnectProxy } from './helpers/proxy.js';
import { fingerprintOf } from './helpers/sim.js';

const KEY = 'test-key-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'finos-client-'));
const file = (name: string, data: Buffer | string): string => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};

const card = file('card.png', makePng({ width: 200, height: 120, marker: 'doc=cccd_chip_front,person=p1' }));
const selfie = file('selfie.png', makePng({ width: 120, height: 160, marker: 'person=p1' }));
const selfieSame = file('selfie-same.png', makePng({ width: 120, height: 160, marker: 'person=p1', seed: 7 }));
const other = file('other.png', makePng({ width: 120, height: 160, marker: 'person=p2' }));
const tiny = file('tiny.png', makePng({ width: 32, height: 32 }));

let sim: Simulator;
let client: FinosClient;
const fast = (opts: Partial<ConstructorParameters<typeof FinosClient>[0]> = {}) =>
  new FinosClient({ host: sim.url, apiKey: KEY, timeoutMs: 5_000, ...opts });

beforeAll(async () => {
  sim = await startSimulator({ apiKey: KEY, maxUploadBytes: 2 * 1024 * 1024 });
  client = fast();
});
afterAll(async () => {
  await client.close();
  await sim.close();
});
beforeEach(() => {
  sim.clearFaults();
  sim.resetStats();
});

const last = () => sim.requests[sim.requests.length - 1]!;

describe('operations, as the reference sends them', () => {
  it('national ID: multipart image + yes/no flags, key and transactionId headers', async () => {
    const res = await client.ocr.nationalId(card, { addressSplit: true, qualityCheck: true, fraudCheck: false, transactionId: 'tx-1' });
    const req = last();
    expect(req.path).toBe('/ekyc/ocr/v2/nationalID');
    expect(req.apiKeyPresent).toBe(true);
    expect(req.headers['x-finos-api-key']).toBe('[redacted]');
    expect(req.headers.transactionid).toBe('tx-1');
    expect(req.files.map((f) => f.field)).toEqual(['image']);
    expect(req.fields).toMatchObject({ enableAddressSplit: 'yes', qualityCheck: 'yes', fraudCheck: 'no' });
    expect(req.fields.faceCheck).toBeUndefined();
    expect(res.httpStatus).toBe(200);
    expect(res.requestId).toMatch(/\S/);
    expect(res.transactionId).toBe('tx-1');
    const doc = res.data.documents[0]!;
    expect(doc.type).toBe('cccd_chip_front');
    expect(doc.fields.idNumber?.value).toMatch(/^\d{12}$/);
    expect(typeof doc.fields.name?.review).toBe('boolean');
    expect(doc.fields.permanentAddress?.parts?.province).toBeTruthy();
    expect(res.data.summary?.action).toBe('pass');
    // body is the JSON exactly as received: the vendor's own spelling is still there
    expect(JSON.stringify(res.body)).toContain('to-be-reviewed');
  });

  it('same image content gives the same extraction', async () => {
    const a = await client.ocr.nationalId(card);
    const b = await client.ocr.nationalId(card);
    expect(a.data.documents[0]!.fields).toEqual(b.data.documents[0]!.fields);
    expect(a.requestId).not.toBe(b.requestId);
  });

  it('driver licence, passport and MRC use image / image1+image2', async () => {
    const dl = await client.ocr.driverLicense(file('dl.png', makePng({ width: 200, height: 120, marker: 'doc=dl_new_front' })));
    expect(last().path).toBe('/ekyc/ocr/v1/readDL');
    expect(last().files.map((f) => f.field)).toEqual(['image']);
    expect(dl.data.documents[0]!.type).toBe('dl_new_front');
    expect(dl.data.documents[0]!.fields.name?.conf).toBeTypeOf('number');

    const pp = await client.ocr.passport(file('pp.png', makePng({ width: 200, height: 120, marker: 'doc=vn_passport_front' })));
    expect(last().path).toBe('/ekyc/ocr/v1/readVNPassport');
    expect(pp.data.documents[0]!.fields.passport_num?.value).toBeTruthy();
    // the passport's nested fraudCheck group is a check group, not a field
    expect(pp.data.documents[0]!.checks.fraudCheck?.isBlackWhite).toBeDefined();

    const mrc = await client.ocr.mrc(
      file('mrc1.png', makePng({ width: 200, height: 120, marker: 'doc=old_register_card_back' })),
      file('mrc2.png', makePng({ width: 200, height: 120, marker: 'doc=new_register_card_back' })),
    );
    expect(last().path).toBe('/ekyc/ocr/v1/readMRC');
    expect(last().files.map((f) => f.field).sort()).toEqual(['image1', 'image2']);
    expect(mrc.data.documents.length).toBeGreaterThan(0);
  });

  it('face compare: selfies with type=selfie and a threshold header; same person matches, others do not', async () => {
    const same = await client.face.compare(selfie, selfieSame, { threshold: 80 });
    expect(last().path).toBe('/ekyc/face/v1/photo/verifyPair');
    expect(last().fields.type).toBe('selfie');
    expect(last().headers.threshold).toBe('80');
    expect(same.data.match).toBe(true);
    expect(same.data.score).toBeGreaterThanOrEqual(80);
    const diff = await client.face.compare(selfie, other);
    expect(diff.data.match).toBe(false);
    expect(diff.data.score).toBeLessThan(same.data.score);
  });

  it('face compare with an ID card: selfie + id fields', async () => {
    const res = await client.face.compareWithId(selfie, card, { fraudCheckLiveness: false });
    expect(last().files.map((f) => f.field).sort()).toEqual(['id', 'selfie']);
    expect(last().fields.fraudCheckLiveness).toBe('no');
    expect(typeof res.data.match).toBe('boolean');
  });

  it('liveness', async () => {
    const live = await client.face.liveness(selfie);
    expect(last().path).toBe('/ekyc/face/v2/photo/liveness');
    expect(live.data.live).toBe(true);
    const spoof = await client.face.liveness(file('spoof.png', makePng({ width: 120, height: 160, marker: 'not-live,mask' })));
    expect(spoof.data.live).toBe(false);
    expect(spoof.data.summary?.action).toBe('review');
    expect(spoof.data.summary?.details.map((d) => d.code)).toContain('114');
  });

  it('index then search: the same face ranks first; a duplicate numberId is a BadRequestError', async () => {
    const partition = `p-${Date.now()}`;
    const indexed = await client.recognition.index(selfie, { numberId: '001', partition });
    expect(last().fields).toMatchObject({ numberId: '001', partition });
    expect(indexed.data.idNumber).toBe('001');
    await client.recognition.index(other, { numberId: '002', partition });
    const found = await client.recognition.search(selfie, { partition });
    expect(last().path).toBe('/ekyc/recognition/face/search');
    expect(last().files.map((f) => f.field)).toEqual(['image']);
    expect(found.data.matches[0]!.idNumber).toBe('001');
    expect(found.data.matches[0]!.similarity).toBeGreaterThan(found.data.matches[1]!.similarity);
    const dup = await client.recognition.index(other, { numberId: '001', partition }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(BadRequestError);
    expect((dup as BadRequestError).message).toBe('Id number has been duplicated');
  });

  it('history: one comma-joined requestIds field, data decoded from its JSON string', async () => {
    const a = await client.ocr.nationalId(card);
    const b = await client.face.compare(selfie, other);
    const h = await client.transactions.history([a.requestId, b.requestId]);
    expect(last().fields.requestIds).toBe(`${a.requestId},${b.requestId}`);
    expect(h.data.transactions.map((t) => t.apiCode).sort()).toEqual(['FACE_COMPARE', 'OCR_NATIONALID']);
    const ocr = h.data.transactions.find((t) => t.apiCode === 'OCR_NATIONALID')!;
    expect(typeof ocr.data).toBe('object');
    expect(h.data.transactions.every((t) => t.imagePaths.length > 0)).toBe(true);
  });
});

describe('errors: one class per outcome, with status, message and ids', () => {
  it('401 with a wrong key', async () => {
    const c = fast({ apiKey: 'wrong-key-000000' });
    const err = await c.ocr.nationalId(card).catch((e: unknown) => e);
    await c.close();
    expect(err).toBeInstanceOf(AuthenticationError);
    expect((err as AuthenticationError).status).toBe(401);
    expect(sim.stats().total).toBe(1); // never retried
  });

  it('413 over the upload limit', async () => {
    const big = file('big.png', pngWithPadding(makePng({ width: 100, height: 100 }), 3 * 1024 * 1024));
    const err = await client.ocr.nationalId(big).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect((err as PayloadTooLargeError).status).toBe(413);
  });

  it('422 for a selfie or another kind of document sent to OCR', async () => {
    await expect(client.ocr.nationalId(selfie)).rejects.toBeInstanceOf(NotDetectedError);
    await expect(client.ocr.passport(card)).rejects.toBeInstanceOf(NotDetectedError);
  });

  it('422 when no document is detected', async () => {
    const err = await client.ocr.nationalId(tiny).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotDetectedError);
    expect((err as NotDetectedError).message).toMatch(/not detected/i);
    expect((err as NotDetectedError).requestId).toBeTruthy();
  });

  it.each([
    [500, 'ServerError', ServerError],
    [502, 'ServerError', ServerError],
    [503, 'ServerError', ServerError],
    [504, 'GatewayTimeoutError', GatewayTimeoutError],
  ] as const)('%i is a %s after retries', async (status, _name, cls) => {
    sim.injectFaults({ status, count: 10 });
    const err = await fast({ maxRetries: 1 }).ocr.passport(card).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    expect((err as ServerError).status).toBe(status);
    expect(sim.stats().total).toBe(2);
  });

  it('the recognition 500 body keeps its message under the " messages" key', async () => {
    sim.injectFaults({ status: 500, count: 1 });
    const err = await client.recognition.index(selfie, { numberId: 'x500', partition: 'err' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).message).toBe('Internal Server Error');
  });

  it('a 200 that is HTML is an InvalidResponseError, not an empty success', async () => {
    sim.injectFaults({ status: 200, body: '<html>gateway</html>', contentType: 'text/html' });
    const err = await client.ocr.nationalId(card).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect((err as InvalidResponseError).body).toBe('<html>gateway</html>');
    expect(sim.stats().total).toBe(1); // a 200 may be billed: never re-sent
  });

  it('a 200 with the wrong shape is an InvalidResponseError that keeps the body', async () => {
    sim.injectFaults({ status: 200, body: '{"status":"success","result":{}}', contentType: 'application/json' });
    const err = await client.ocr.nationalId(card).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect((err as InvalidResponseError).body).toEqual({ status: 'success', result: {} });
  });

  it('an answer over 32 MB is refused, not held in memory', async () => {
    sim.injectFaults({ status: 200, body: 'x'.repeat(33 * 1024 * 1024), contentType: 'application/json' });
    const err = await fast({ maxRetries: 0 }).ocr.nationalId(card).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect((err as InvalidResponseError).message).toMatch(/larger than 32 MB/);
  });

  it('a truncated body is an InvalidResponseError or a ConnectionError, never a result', async () => {
    sim.injectFaults({ truncate: true });
    const err = await fast({ maxRetries: 0 }).ocr.nationalId(card).catch((e: unknown) => e);
    expect(err instanceof InvalidResponseError || err instanceof ConnectionError).toBe(true);
  });

  it('timeout', async () => {
    sim.injectFaults({ delayMs: 1_500, count: 1 });
    const err = await fast({ timeoutMs: 200, maxRetries: 0 }).face.liveness(selfie).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
  });

  it('connection refused', async () => {
    const closed = await startSimulator();
    const url = closed.url;
    await closed.close();
    const err = await new FinosClient({ host: url, apiKey: KEY, maxRetries: 0 }).ocr.nationalId(card).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).requestSent).toBe(false);
  });
});

describe('retries', () => {
  it('429 with Retry-After is waited out and retried with the same transactionId', async () => {
    sim.injectFaults({ status: 429, retryAfter: 1, count: 1 });
    const events: ClientEvent[] = [];
    const started = Date.now();
    const res = await fast({ onEvent: (e) => events.push(e) }).ocr.nationalId(card, { transactionId: 'tx-retry' });
    expect(res.httpStatus).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sim.stats().total).toBe(2);
    const txs = sim.requests.slice(-2).map((r) => r.headers.transactionid);
    expect(txs).toEqual(['tx-retry', 'tx-retry']);
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ delayMs: 1000, reason: 'HTTP 429' });
  });

  it('429 that persists becomes a RateLimitError carrying Retry-After', async () => {
    sim.injectFaults({ status: 429, retryAfter: 0, count: 5 });
    const err = await fast({ maxRetries: 2 }).ocr.nationalId(card).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(sim.stats().total).toBe(3);
  });

  it('the simulator rate limit itself answers 429 with Retry-After', async () => {
    const limited = await startSimulator({ apiKey: KEY, rateLimitPerMinute: 2 });
    const c = new FinosClient({ host: limited.url, apiKey: KEY, maxRetries: 0 });
    await c.face.liveness(selfie);
    await c.face.liveness(selfie);
    const err = await c.face.liveness(selfie).catch((e: unknown) => e);
    await c.close();
    await limited.close();
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterMs).toBeGreaterThan(0);
  });

  it('500 is retried for OCR (a read)', async () => {
    sim.injectFaults({ status: 500, count: 2 });
    const res = await fast({ maxRetries: 2 }).ocr.nationalId(card);
    expect(res.httpStatus).toBe(200);
    expect(sim.stats().total).toBe(3);
  });

  it('500 and 504 are never retried for indexing (it changes state)', async () => {
    for (const status of [500, 504]) {
      sim.resetStats();
      sim.injectFaults({ status, count: 3 });
      const err = await fast({ maxRetries: 2 }).recognition.index(selfie, { numberId: `n${status}`, partition: 'no-retry' }).catch((e: unknown) => e);
      expect((err as ServerError).status).toBe(status);
      expect(sim.stats().total).toBe(1);
      sim.clearFaults();
    }
  });

  it('a connection lost after the upload is not re-sent for indexing (the face may be indexed)', async () => {
    const partition = `reset-${Date.now()}`;
    sim.injectFaults({ reset: 'after-processing', count: 1 });
    const err = await fast({ maxRetries: 2 }).recognition.index(selfie, { numberId: 'r1', partition }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).requestSent).toBe(true);
    expect(sim.stats().total).toBe(1);
    // it did take effect: that is why re-sending would have been wrong
    const found = await client.recognition.search(selfie, { partition });
    expect(found.data.matches.map((m) => m.idNumber)).toEqual(['r1']);
  });

  it('429 is retried for indexing: nothing was indexed', async () => {
    sim.injectFaults({ status: 429, retryAfter: 0, count: 1 });
    const res = await fast().recognition.index(selfie, { numberId: 'after429', partition: `p429-${Date.now()}` });
    expect(res.data.idNumber).toBe('after429');
    expect(sim.stats().total).toBe(2);
  });
});

describe('local input checks: nothing reaches the API', () => {
  const cases: [string, () => string, new (...a: never[]) => Error][] = [
    ['missing', () => join(dir, 'nope.png'), FileNotFoundError],
    ['a directory', () => dir, NotAFileError],
    ['empty', () => file('empty.png', ''), EmptyFileError],
    ['not an image', () => file('notes.png', 'hello, this is text'), NotAnImageError],
    ['cut short', () => file('cut.png', makePng({ width: 200, height: 120 }).subarray(0, 300)), UnreadableImageError],
  ];
  it.each(cases)('%s', async (_name, make, cls) => {
    const path = make();
    const err = await client.ocr.nationalId(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    expect((err as Error).message).toContain(path);
    expect(sim.stats().total).toBe(0);
  });

  it('over the upload limit: refused as it is with prepare off, shrunk to fit with auto', async () => {
    const huge = file('huge.png', pngWithPadding(makePng({ width: 300, height: 200, marker: 'doc=cccd_chip_front' }), 11 * 1024 * 1024));
    const err = await client.ocr.nationalId(huge, { prepare: 'off' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileTooLargeError);
    expect(sim.stats().total).toBe(0);
    const res = await client.ocr.nationalId(huge);
    expect(res.prepared).toEqual([{ field: 'image', from: { format: 'png', width: 300, height: 200, bytes: statSync(huge).size }, to: expect.objectContaining({ format: 'jpeg', width: 300, height: 200 }), steps: ['convert'] }]);
    expect(last().files[0]).toMatchObject({ filename: 'huge.jpg', contentType: 'image/jpeg', format: 'jpeg' });
  });

  it('tells images by their content, not their names; bytes and Blobs too', async () => {
    const ftyp = (brand: string): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from(`ftyp${brand}\0\0\0\0mif1${brand}`)]);
    const heads: Record<string, Buffer> = {
      'image/jpeg': Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xda, 0, 2, 0xff, 0xd9]),
      'image/webp': Buffer.from('RIFF\0\0\0\0WEBPVP8 '),
      'image/bmp': Buffer.from('BM\0\0\0\0\0\0\0\0'),
      'image/tiff': Buffer.from('II*\0\0\0\0\0'),
      'image/gif': Buffer.from('GIF89a\0\0\0\0'),
      'image/heic': ftyp('heic'),
      'image/avif': ftyp('avif'),
    };
    const { prepareImage } = await import('../src/index.js');
    for (const [mime, head] of Object.entries(heads)) {
      const path = file('no-extension', head);
      expect((await prepareImage(path, { prepare: 'off' })).mime, mime).toBe(mime);
      expect((await prepareImage(new Uint8Array(head), { prepare: 'off' })).mime, mime).toBe(mime);
      expect((await prepareImage(new Blob([head]), { prepare: 'off' })).mime, mime).toBe(mime);
    }
    const res = await client.ocr.nationalId(makePng({ width: 200, height: 120 }));
    expect(res.httpStatus).toBe(200);
    expect(last().files[0]!.filename).toBe('image.png');
  });

  it('rejects a bad threshold, empty requestIds and a missing partition before sending', async () => {
    await expect(client.face.compare(selfie, other, { threshold: 100 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.transactions.history([' '])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.recognition.search(selfie, { partition: '' })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(sim.stats().total).toBe(0);
  });

  it('refuses to send a key over plain http to a host that is not loopback', () => {
    expect(() => new FinosClient({ host: 'http://api.example.com', apiKey: KEY })).toThrow(InvalidArgumentError);
    expect(() => new FinosClient({ host: 'http://127.0.0.1:9', apiKey: KEY })).not.toThrow();
  });

  // An unreadable file is tested in cli.test.ts, as a user root is not: root reads any file whatever its mode.

  it('looks at the content of a file over 1 MB too: a 2 MB PDF, ZIP or text named like an image is never sent', async () => {
    const padding = Buffer.alloc(2 * 1024 * 1024, 0x20);
    for (const [name, head] of [['scan.png', '%PDF-1.7\n'], ['photos.jpg', 'PK\u0003\u0004'], ['notes.jpeg', 'hello']]) {
      const path = file(name!, Buffer.concat([Buffer.from(head!, 'latin1'), padding]));
      for (const prepare of ['auto', 'always', 'off'] as const) {
        const err = await client.ocr.nationalId(path, { prepare }).catch((e: unknown) => e);
        expect(err, `${name}, prepare ${prepare}`).toBeInstanceOf(NotAnImageError);
        expect((err as Error).message).toBe(`${path}: not an image (expected JPEG, PNG, WebP, HEIC/HEIF, AVIF, TIFF, BMP or GIF content)`);
      }
    }
    expect(sim.stats().total).toBe(0);
  });
});

describe('where a key may go over plain http: loopback only', () => {
  // Names that only look like loopback, and URLs that hide another host: refused before a dispatcher sees anything.
  const LOOKALIKES: [string, RegExp][] = [
    ['http://127.evil.com', /^refusing to send the API key over plain http to 127\.evil\.com:/],
    ['http://127.0.0.1.nip.io', /^refusing to send the API key over plain http to 127\.0\.0\.1\.nip\.io:/],
    ['http://localhost.evil.com:8080', /^refusing to send the API key over plain http to localhost\.evil\.com:8080:/],
    ['http://0x7f000001.evil.com', /^refusing .* to 0x7f000001\.evil\.com:/],
    ['http://127.1.evil', /^refusing .* to 127\.1\.evil:/],
    ['http://127.0.0.1%2eevil.com', /^refusing .* to 127\.0\.0\.1\.evil\.com:/],
    ['http://[::1].evil', /is not a URL/],
    ['http://127.0.0.1:80@evil.com', /^host evil\.com must not contain credentials$/],
    ['http://evil.com#@127.0.0.1', /must not contain a query or a fragment/],
  ];
  it.each(LOOKALIKES)('%s is refused and nothing is sent', async (host, message) => {
    const agent = new BodyRecordingAgent();
    const err = await (async () => new FinosClient({ host, apiKey: KEY, dispatcher: agent }).ocr.nationalId(card))().catch((e: unknown) => e);
    await agent.close();
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toMatch(message);
    expect(agent.paths).toEqual([]);
  });

  // The URL parser reads these as 127.0.0.1 before anything looks at them, and connections go where it says: loopback.
  it.each(['0x7f000001', '2130706433', '127.1', '0177.0.0.1', '0x7f.0.0.1', '127.000.000.001', '127.0.0.1.'])(
    'http://%s is 127.0.0.1: allowed, and the request reaches the simulator there',
    async (spelled) => {
      const c = fast({ host: `http://${spelled}:${sim.port}` });
      expect(c.host).toBe(sim.url);
      expect((await c.ocr.nationalId(card)).httpStatus).toBe(200);
      await c.close();
      expect(last().apiKeyPresent).toBe(true);
    },
  );
});

/** Keeps the path and body of every request it sends, to see what the client gave it. */
class BodyRecordingAgent extends Agent {
  readonly bodies: unknown[] = [];
  readonly paths: string[] = [];
  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    this.bodies.push(opts.body);
    this.paths.push(opts.path);
    return super.dispatch(opts, handler);
  }
}

describe('transport', () => {
  it('puts the host\'s path before every API path, for a gateway that serves the API under a prefix', async () => {
    const agent = new BodyRecordingAgent();
    const behindGateway = new FinosClient({ host: `${sim.url}/finos/`, apiKey: KEY, dispatcher: agent, maxRetries: 0 });
    await behindGateway.face.liveness(selfie).catch(() => undefined);
    await agent.close();
    expect(behindGateway.host).toBe(`${sim.url}/finos`);
    expect(agent.paths).toEqual(['/finos/ekyc/face/v2/photo/liveness']);
  });

  it('an error status whose body cannot be decoded is still that status: a 503 is retried, then a ServerError', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://gw.example.vn')
      .intercept({ path: '/ekyc/face/v2/photo/liveness', method: 'POST' })
      .reply(503, 'not gzip at all', { headers: { 'content-encoding': 'gzip' } })
      .times(2);
    const c = new FinosClient({ host: 'https://gw.example.vn', apiKey: KEY, dispatcher: agent, maxRetries: 1 });
    await expect(c.face.liveness(selfie)).rejects.toBeInstanceOf(ServerError);
    agent.assertNoPendingInterceptors();
    await agent.close();
  });

  it('a file over the in-memory limit streams from disk and arrives whole', async () => {
    const big = file('big-ok.png', pngWithPadding(makePng({ width: 300, height: 200, marker: 'doc=cccd_chip_front' }), 1_500_000));
    const res = await client.ocr.nationalId(big);
    expect(res.httpStatus).toBe(200);
    expect(last().files[0]!.size).toBe(statSync(big).size);
  });

  it('sends an image held in memory from its own bytes, again on a retry, and leaves them as they were', async () => {
    const content = makePng({ width: 200, height: 120, marker: 'doc=cccd_chip_front' });
    const around = Buffer.alloc(content.length + 4096, 0xaa);
    content.copy(around, 2048);
    const before = Buffer.from(around);
    sim.injectFaults({ status: 503, count: 1 });
    const agent = new BodyRecordingAgent();
    const res = await fast({ dispatcher: agent }).ocr.nationalId({ path: 'held.png', bytes: around.subarray(2048, 2048 + content.length) });
    await agent.close();
    expect(res.httpStatus).toBe(200);
    expect(sim.stats().total).toBe(2);
    // The body lists the form's pieces; the image is the caller's own bytes, not a copy.
    const held = around.subarray(2048, 2048 + content.length);
    expect(agent.bodies.map((b) => Array.isArray(b) && b.some((piece: Uint8Array) => piece.buffer === around.buffer && piece.byteOffset === held.byteOffset))).toEqual([true, true]);
    expect(last().files).toEqual([expect.objectContaining({ filename: 'held.png', size: content.length, fingerprint: fingerprintOf(content) })]);
    expect(Buffer.compare(around, before)).toBe(0);
  });

  it('a call aborted while the server works on it stops waiting and is an AbortedError', async () => {
    sim.injectFaults({ delayMs: 3_000, count: 1 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const err = await client.ocr.nationalId(card, { signal: ac.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortedError);
  });

  it('a call aborted while it waits for a connection is never sent', async () => {
    // Each step waits for an event, not a timer: started together, either call could win the one connection.
    let requests = 0;
    let secondDispatched!: () => void;
    const dispatched = new Promise<void>((resolve) => (secondDispatched = resolve));
    const onEvent = (e: ClientEvent): void => {
      if (e.type === 'request' && ++requests === 2) secondDispatched();
    };
    const agent = new Agent({ connections: 1 });
    const one = fast({ dispatcher: agent, maxRetries: 0, onEvent });
    sim.injectFaults({ delayMs: 300, count: 1 });
    const ac = new AbortController();
    try {
      const first = one.ocr.nationalId(card);
      // The first call holds the only connection, its answer delayed at the simulator...
      await vi.waitFor(() => expect(sim.stats().total).toBe(1), { timeout: 5_000, interval: 2 });
      const queued = one.ocr.nationalId(card, { signal: ac.signal }).catch((e: unknown) => e);
      // ...so the second, once handed to the pool (the 'request' event comes just before), waits in its queue.
      await dispatched;
      ac.abort();
      expect(await queued).toBeInstanceOf(AbortedError);
      expect((await first).httpStatus).toBe(200);
      expect(sim.stats().total).toBe(1);
    } finally {
      await agent.close();
    }
  });

  it('goes through the proxy HTTP_PROXY names (a CONNECT tunnel)', async () => {
    const proxy = await startConnectProxy();
    process.env.HTTP_PROXY = proxy.url;
    const viaProxy = fast({ timeoutMs: 3_000, maxRetries: 0 });
    delete process.env.HTTP_PROXY; // read when the client is made
    try {
      const res = await viaProxy.face.liveness(selfie);
      expect(res.httpStatus).toBe(200);
      expect(proxy.tunnels).toEqual([new URL(sim.url).host]);
    } finally {
      await viaProxy.close();
      proxy.close();
    }
  });

  it('asks for compression where answers can be large (history), and decodes it; not for one image\'s answer', async () => {
    const live = await client.face.liveness(selfie);
    expect(last().headers['accept-encoding']).toBeUndefined();
    const res = await client.transactions.history([live.requestId]);
    expect(last().headers['accept-encoding']).toMatch(/gzip/);
    expect(res.data.transactions.map((t) => (t.data as { requestId?: string }).requestId)).toEqual([live.requestId]);
  });

  it('debug events never contain the key', async () => {
    const events: ClientEvent[] = [];
    await fast({ onEvent: (e) => events.push(e) }).face.liveness(selfie);
    const text = JSON.stringify(events);
    expect(text).not.toContain(KEY);
    expect(text).toContain('[redacted]');
  });
});

describe('schemas: every spelling the reference shows', () => {
  it('toBeReviewed, matchScore and a "manualReview" action are read like their other spellings', async () => {
    sim.injectFaults({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ requestId: 'r1', result: { conf: 1.0, match: 'no', matchScore: 52, toBeReviewed: 'yes' }, status: 'success', statusCode: '200' }),
    });
    const cmp = await client.face.compare(selfie, other);
    expect(cmp.data).toEqual({ match: false, score: 52, conf: 1, review: true });
    expect(cmp.requestId).toBe('r1');

    sim.injectFaults({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        requestId: 'r2',
        result: {
          liveFace: { value: 'no', toBeReviewed: 'no' },
          qualityChecks: { maskPresent: { value: 'yes', 'to-be-reviewed': 'no' } },
          summary: { action: 'manualReview', details: [{ code: '114', message: 'Mask detected in selfie' }] },
        },
      }),
    });
    const live = await client.face.liveness(selfie);
    expect(live.data.live).toBe(false);
    expect(live.data.summary).toEqual({ action: 'review', rawAction: 'manualReview', details: [{ code: '114', message: 'Mask detected in selfie' }] });
  });

  it('result as an object instead of an array, and unknown extra fields kept in body', async () => {
    const body = {
      status: 'success',
      statusCode: '200',
      result: { type: 'dl_new_front', details: { name: { value: 'LÊ VĂN A', conf: 0.89, 'to-be-reviewed': 'no' } } },
      requestId: 'r3',
      newVendorField: { x: 1 },
    };
    sim.injectFaults({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
    const dl = await client.ocr.driverLicense(card);
    expect(dl.data.documents).toEqual([{ type: 'dl_new_front', fields: { name: { value: 'LÊ VĂN A', conf: 0.89, review: false } }, checks: {} }]);
    expect(dl.body).toEqual(body);
  });

  it('a 200 whose body says failure is the error it names', async () => {
    sim.injectFaults({ status: 200, contentType: 'application/json', body: JSON.stringify({ status: 'failure', statusCode: '422', error: 'Passport not detected', requestId: 'r4' }) });
    const err = await client.ocr.passport(card).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotDetectedError);
    expect((err as NotDetectedError).requestId).toBe('r4');
  });

  it('an unknown summary action is never read as a pass', async () => {
    sim.injectFaults({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ result: { details: [{ type: 'cccd_front', fieldsExtracted: {} }], summary: { action: 'Approved?' } } }),
    });
    const res = await client.ocr.nationalId(card);
    expect(res.data.summary?.action).toBe('review');
  });
});
