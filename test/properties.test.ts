/**
 * Garbage in, never a crash: property tests (fast-check) of everything that reads text from outside. The seed is
 * fixed, so a failure replays as it was found; fast-check prints the counterexample and the `path` to replay it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { MockAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { normalize } from '../src/api/schemas.js';
import { ApiError, FinosClient, InvalidResponseError, type ApiResponse } from '../src/index.js';
import { ManifestError, readManifest, type ManifestKind, type ManifestRow } from '../src/batch/manifest.js';
import { ResultsFileError, openResultsFile, type ResultRecord, type ResultsFile } from '../src/batch/results.js';
import { makePng } from './helpers/png.js';
import { useSimulator } from './helpers/sim.js';

const SEED = 20_241_206;
const RUNS = { readers: 3000, mutations: 3000, wire: 500, manifestBytes: 1500, manifestCsv: 2000, manifestRoundTrip: 1000, manifestDamage: 1000, results: 1500 };
const settings = (numRuns: number) => ({ seed: SEED, numRuns });

// Every case rewrites a file: in memory where there is a tmpfs for it, which halves the time a case takes.
const work = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'finos-props-'));
const IMAGES = join(import.meta.dirname, '..', 'examples', 'images');
const img = (name: string): string => join(IMAGES, name);

// ---- response readers ----------------------------------------------------------------------------------

type Reader = keyof typeof normalize;
const READERS = Object.keys(normalize) as Reader[];

/** What each reader promises to return: a wrong state that type-checks but breaks a caller is a failure too. */
const field = z.strictObject({ value: z.string(), review: z.boolean(), conf: z.number().optional(), parts: z.record(z.string(), z.string()).optional() });
const fields = z.record(z.string(), field);
const summary = z.strictObject({ action: z.enum(['pass', 'review']), rawAction: z.string(), details: z.array(z.strictObject({ code: z.string(), message: z.string() })) });
const ocr = z.strictObject({ documents: z.array(z.strictObject({ type: z.string(), fields, checks: z.record(z.string(), fields) })), summary: summary.optional() });
const face = { milvusId: z.string(), idNumber: z.string(), facePath: z.string(), indexingTime: z.string() };
const PROMISED: Record<Reader, z.ZodType> = {
  nationalId: ocr,
  documentList: ocr,
  compare: z.strictObject({ match: z.boolean(), score: z.number(), conf: z.number().optional(), review: z.boolean() }),
  liveness: z.strictObject({ live: z.boolean(), review: z.boolean(), qualityChecks: fields, summary: summary.optional() }),
  indexed: z.looseObject(face),
  search: z.strictObject({ matches: z.array(z.looseObject({ ...face, similarity: z.number() })) }),
  history: z.strictObject({
    transactions: z.array(z.strictObject({ requestTime: z.string(), apiCode: z.string(), statusCode: z.string(), data: z.unknown(), imagePaths: z.array(z.string()) })),
  }),
};

/** A refusal a person can act on: our error class, one line, short enough to read. */
function expectRefusal(err: unknown): void {
  if (!(err instanceof InvalidResponseError)) throw err;
  // node:assert rather than expect in what runs thousands of times: a tenth of the cost.
  assert.ok(!/[\r\n]/.test(err.message) && err.message.length < 300, `not a short one-line message: ${err.message.slice(0, 300)}`);
}

/** Typed data or an InvalidResponseError, nothing else. */
function expectRead(reader: Reader, body: unknown): void {
  let data: unknown;
  try {
    data = normalize[reader](body);
  } catch (err) {
    return expectRefusal(err);
  }
  expectPromised(reader, data);
}

/** The data has the promised type, and can be written out as JSON (what --json, NDJSON and --out do with it). */
function expectPromised(reader: Reader, data: unknown): void {
  const promised = PROMISED[reader].safeParse(data);
  if (!promised.success) throw new Error(`${reader} returned ${promised.error.issues[0]?.path.join('.')}: ${promised.error.issues[0]?.message}`);
  JSON.stringify(data);
}

/** The keys the API uses, so random bodies reach past the first level of the schemas. */
const VOCABULARY = [
  'result', 'details', 'summary', 'action', 'code', 'message', 'type', 'fieldsExtracted', 'qualityChecks', 'ruleChecks', 'tamperChecks',
  'fraudCheck', 'value', 'conf', 'to-be-reviewed', 'toBeReviewed', 'to_be_reviewed', 'match', 'match_score', 'match-score', 'matchScore',
  'liveFace', 'data', 'milvusId', 'idNumber', 'facePath', 'indexingTime', 'similar', 'transactions', 'requestTime', 'apiCode', 'statusCode',
  'imagePath1', 'imagePath2', 'requestId', 'transactionId', '__proto__', 'constructor', 'toString', 'hasOwnProperty',
];
/** Keys an error message could repeat: it must stay one short line whatever they hold. */
const HOSTILE_KEYS = ['line\nbreak', '\r', '\u001b]52;c;aGk=\u0007', 'k'.repeat(5000)];
const leaf = fc.oneof(fc.constant(null), fc.boolean(), fc.double(), fc.integer(), fc.string(), fc.constantFrom('yes', 'no', 'pass', 'Manual Review', '85.5', ' 12 ', '-0', ''));
const { shaped } = fc.letrec<{ shaped: unknown }>((tie) => ({
  shaped: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('shaped'), { maxLength: 4 }), fc.dictionary(fc.constantFrom(...VOCABULARY, ...HOSTILE_KEYS), tie('shaped'), { maxKeys: 6 })),
}));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** Text written as it is where a value goes: what no JS value serialises to (nesting too deep to build, numbers out of range, a key twice). */
class Verbatim {
  constructor(readonly text: string) {}
}
type Tree = Json | Verbatim | Tree[] | { [key: string]: Tree };

function toText(t: Tree): string {
  if (t instanceof Verbatim) return t.text;
  if (Array.isArray(t)) return `[${t.map(toText).join(',')}]`;
  if (t !== null && typeof t === 'object') return `{${Object.keys(t).map((k) => `${JSON.stringify(k)}:${toText(t[k]!)}`).join(',')}}`;
  return JSON.stringify(t);
}

/** An own property, even `__proto__`: the way JSON.parse makes them. */
function setOwn(o: object, key: string, value: Tree): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

const isContainer = (t: Tree): t is Tree[] | { [key: string]: Tree } => t !== null && typeof t === 'object' && !(t instanceof Verbatim);
type Parent = Tree[] | { [key: string]: Tree };
/** Every node but the root, as its parent and its key there, in document order. */
function* nodes(t: Tree): Generator<[Parent, string | number]> {
  if (!isContainer(t)) return;
  for (const k of Array.isArray(t) ? t.keys() : Object.keys(t)) {
    yield [t, k];
    yield* nodes((t as Record<string | number, Tree>)[k]!);
  }
}

const KINDS = ['delete', 'retype', 'null', 'wrap', 'swap', 'stringify', 'add-key', 'add-key everywhere', 'duplicate-key', 'huge-string', 'huge-array', 'deep', 'edge-number', 'empty'] as const;
interface Mutation {
  kind: (typeof KINDS)[number];
  at: number;
  key: string;
  value: Json;
  size: number;
}
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom(...KINDS),
  at: fc.nat(),
  key: fc.oneof(fc.constantFrom(...VOCABULARY), fc.constantFrom(...HOSTILE_KEYS), fc.string({ unit: 'binary', maxLength: 12 })),
  value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  size: fc.integer({ min: 1, max: 1 << 16 }),
});
const EDGE_NUMBERS = ['1e400', '-1e400', '-0', '1e-400', '123456789012345678901234567890', '0.0000001', '1E2'];

/** The new value of the node a mutation lands on; undefined deletes it. */
function mutated(node: Tree, m: Mutation): Tree | undefined {
  switch (m.kind) {
    case 'delete':
      return undefined;
    case 'retype':
      return m.value;
    case 'null':
      return null;
    case 'wrap':
      return [node];
    case 'swap':
      if (Array.isArray(node)) return Object.fromEntries(node.map((v, i) => [String(i), v]));
      return isContainer(node) ? Object.values(node) : { value: node };
    case 'stringify':
      return isContainer(node) ? toText(node) : node instanceof Verbatim ? node.text : String(node);
    case 'add-key':
      if (Array.isArray(node)) return [...node, m.value];
      if (isContainer(node)) setOwn(node, m.key, m.value);
      return node;
    case 'add-key everywhere': {
      // Into every object from here down: one of them is a map of fields or checks, whose keys an error message names.
      const all = [node, ...[...nodes(node)].map(([parent, key]) => (parent as Record<string | number, Tree>)[key]!)];
      for (const o of all) if (isContainer(o) && !Array.isArray(o)) setOwn(o, m.key, structuredClone(m.value));
      return node;
    }
    case 'duplicate-key': {
      if (!isContainer(node) || Array.isArray(node) || Object.keys(node).length === 0) return node;
      const keys = Object.keys(node);
      const key = keys[m.size % keys.length]!;
      const twice = `${JSON.stringify(key)}:${toText(m.value)}`;
      const body = keys.map((k) => `${JSON.stringify(k)}:${toText(node[k]!)}`).join(',');
      // Before or after the original: JSON.parse keeps the last one.
      return new Verbatim(m.size % 2 ? `{${twice},${body}}` : `{${body},${twice}}`);
    }
    case 'huge-string':
      return (m.size % 2 ? 'x' : 'Ả\u202e').repeat(m.size * 2);
    case 'huge-array':
      return Array.from({ length: m.size % 500 }, () => structuredClone(m.value));
    case 'deep': {
      // From a few levels past the readers' limit to well past what JSON.stringify can write back.
      const [open, close] = m.size % 2 ? ['[', ']'] : ['{"value":', '}'];
      const depth = m.size % 10_000;
      return new Verbatim(`${open.repeat(depth)}${toText(node)}${close.repeat(depth)}`);
    }
    case 'edge-number':
      return new Verbatim(EDGE_NUMBERS[m.size % EDGE_NUMBERS.length]!);
    case 'empty':
      return m.size % 2 ? [] : {};
  }
}

/** The mutation applied at node number `m.at` (modulo the count; 0 is the root). */
function applyMutation(root: Tree, m: Mutation): Tree {
  let count = 1;
  for (const _ of nodes(root)) count++;
  const at = m.at % count;
  if (at === 0) return mutated(root, m) ?? {};
  let seen = 0;
  for (const [parent, key] of nodes(root)) {
    if (++seen < at) continue;
    const next = mutated((parent as Record<string | number, Tree>)[key]!, m);
    if (Array.isArray(parent)) {
      if (next === undefined) parent.splice(key as number, 1);
      else parent[key as number] = next;
    } else if (next === undefined) delete parent[key];
    else setOwn(parent, key as string, next);
    break;
  }
  return root;
}

interface Answer {
  reader: Reader;
  text: string;
}
/** A real answer after some mutations, and the reader of its endpoint. */
const mutatedAnswer = fc.tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([pick, ms]): Answer => {
  const { reader, text } = answers[pick % answers.length]!;
  return { reader, text: toText(ms.reduce<Tree>((tree, m) => applyMutation(tree, m), JSON.parse(text) as Tree)) };
});

const simulator = useSimulator();
/** Real answers of the simulator, as text: every endpoint, successes and documented failures. */
const answers: Answer[] = [];
beforeAll(async () => {
  const sim = simulator();
  const client = new FinosClient({ host: sim.url, apiKey: 'props', direct: true, maxRetries: 0 });
  const partition = 'props';
  const every = { addressSplit: true, qualityCheck: true, fraudCheck: true, faceCheck: true, forgeryCheck: true };
  const calls: [Reader, () => Promise<ApiResponse<unknown>>][] = [
    ['nationalId', () => client.ocr.nationalId(img('cccd-front.png'), every)],
    ['nationalId', () => client.ocr.nationalId(img('cccd-blurry.png'), every)],
    ['nationalId', () => client.ocr.nationalId(img('cmnd-old-front.png'), every)],
    ['documentList', () => client.ocr.driverLicense(img('driver-license.png'))],
    ['documentList', () => client.ocr.passport(img('passport.png'))],
    ['documentList', () => client.ocr.mrc(img('mrc-front.png'), img('mrc-back.png'))],
    ['compare', () => client.face.compare(img('selfie.png'), img('selfie-2.png'))],
    ['compare', () => client.face.compareWithId(img('selfie.png'), img('cccd-front.png'))],
    ['liveness', () => client.face.liveness(img('selfie.png'))],
    ['liveness', () => client.face.liveness(img('selfie-screen.png'))],
    ['indexed', () => client.recognition.index(img('selfie.png'), { numberId: 'p-1', partition })],
    ['indexed', () => client.recognition.index(img('selfie-other.png'), { numberId: 'p-2', partition })],
    ['search', () => client.recognition.search(img('selfie-2.png'), { partition })],
  ];
  const ids: string[] = [];
  for (const [reader, call] of calls) {
    const { body, requestId } = await call();
    answers.push({ reader, text: JSON.stringify(body) });
    ids.push(requestId);
  }
  answers.push({ reader: 'history', text: JSON.stringify((await client.transactions.history(ids)).body) });
  // The documented failures of two endpoints whose gateways differ: bodies a gateway could also send with a 200.
  const failure = async (reader: Reader, call: () => Promise<unknown>, status: number): Promise<Answer> => {
    sim.injectFaults({ status });
    const err = await call().then(() => undefined, (e: unknown) => e);
    if (!(err instanceof ApiError)) throw new Error(`expected an ApiError for HTTP ${status}`);
    return { reader, text: JSON.stringify(err.body) };
  };
  for (const status of [400, 413, 422, 429, 500, 504]) {
    answers.push(await failure('nationalId', () => client.ocr.nationalId(img('cccd-front.png')), status));
    answers.push(await failure('search', () => client.recognition.search(img('selfie.png'), { partition }), status));
  }
  await client.close();
});

/** Nesting JSON.parse takes and JSON.stringify cannot write back. */
const DEEP = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
const DEEP_STATUS = `{"statusCode":${DEEP}}`;
/** Where an answer's values go through the readers untouched: an indexed face's extra keys, a match's, a transaction's data. */
const DEEP_INSIDE: [Reader, string, string][] = [
  ['indexed', '"data":{', `"data":{"deep":${DEEP},`],
  ['search', '"data":[{', `"data":[{"deep":${DEEP},`],
  ['history', '"data":"', `"data":${DEEP},"was":"`],
];
const withDeep = ([reader, at, deep]: [Reader, string, string]): Answer => ({ reader, text: answers.find((a) => a.reader === reader)!.text.replace(at, deep) });

describe('response readers: data or InvalidResponseError, never a crash', () => {
  it('the real answers of every endpoint read as data', () => {
    expect(answers).toHaveLength(26);
    for (const { reader, text } of answers.slice(0, 14)) expectPromised(reader, normalize[reader](JSON.parse(text)));
  });

  it(`random JSON, and random JSON in the API's vocabulary, to every reader (${RUNS.readers} cases)`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), shaped), (body) => {
        const parsed: unknown = JSON.parse(JSON.stringify(body ?? null));
        for (const reader of READERS) expectRead(reader, parsed);
      }),
      settings(RUNS.readers),
    );
  });

  it(`mutated real answers: keys deleted, retyped, duplicated, arrays and objects swapped, huge strings, deep nesting (${RUNS.mutations} cases)`, () => {
    fc.assert(
      fc.property(mutatedAnswer, ({ reader, text }) => {
        // JSON.parse takes the deepest nesting a mutation builds: the client would hand the readers the same.
        expectRead(reader, JSON.parse(text));
      }),
      // What the readers once passed on unprintable, tried first on every run.
      { ...settings(RUNS.mutations), examples: DEEP_INSIDE.map((d): [Answer] => [withDeep(d)]) },
    );
  });

  it(`the client, answers off the wire: any status, encoding, type and body (${RUNS.wire} cases)`, async () => {
    const origin = 'http://127.0.0.1:9';
    const agent = new MockAgent();
    agent.disableNetConnect();
    const api = agent.get(origin);
    const client = new FinosClient({ host: origin, apiKey: 'props', dispatcher: agent, maxRetries: 0 });
    const png = makePng({ width: 200, height: 120 });
    const calls: Record<Reader, () => Promise<ApiResponse<unknown>>> = {
      nationalId: () => client.ocr.nationalId(png),
      documentList: () => client.ocr.passport(png),
      compare: () => client.face.compare(png, png),
      liveness: () => client.face.liveness(png),
      indexed: () => client.recognition.index(png, { numberId: 'p-1', partition: 'props' }),
      search: () => client.recognition.search(png, { partition: 'props' }),
      history: () => client.transactions.history(['r-1']),
    };
    // The answer of an endpoint goes to that endpoint's call; anything else to any call.
    const answer = fc.oneof(
      { arbitrary: mutatedAnswer, weight: 4 },
      fc.constantFrom(...answers),
      fc.tuple(fc.constantFrom(...answers), fc.nat()).map(([{ reader, text }, cut]) => ({ reader, text: text.slice(0, cut % text.length) })),
      fc.record({
        reader: fc.constantFrom(...READERS),
        text: fc.oneof(fc.json(), fc.constantFrom('', '   ', 'null', '"ok"', '[]', '{}', '<html><body>502 Bad Gateway</body></html>', '{"statusCode":"500"}', DEEP_STATUS)),
      }),
    );
    const wire = fc.record({
      answer: fc.oneof(
        { arbitrary: answer.map(({ reader, text }) => ({ reader, body: Buffer.from(text) })), weight: 5 },
        fc.record({ reader: fc.constantFrom(...READERS), body: fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)) }),
      ),
      status: fc.constantFrom(200, 200, 200, 200, 201, 204, 206, 299, 301, 302, 400, 401, 403, 404, 413, 422, 429, 500, 502, 503, 504, 599),
      encoding: fc.constantFrom('identity', 'identity', 'gzip', 'br', 'gzip, br', 'gzip (broken)', 'compress'),
      contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/html', 'text/plain', ''),
      retryAfter: fc.option(fc.constantFrom('1', '0', '-5', '1e9', 'soon', 'Wed, 21 Oct 2015 07:28:00 GMT', ''), { nil: undefined }),
    });
    type Wire = typeof wire extends fc.Arbitrary<infer T> ? T : never;
    try {
      await fc.assert(
        fc.asyncProperty(wire, async ({ answer: { reader, body }, ...w }) => {
          const br = (b: Buffer) => brotliCompressSync(b, { params: { [zlib.BROTLI_PARAM_QUALITY]: 1 } });
          const encoded = w.encoding === 'gzip' ? gzipSync(body) : w.encoding === 'br' ? br(body) : w.encoding === 'gzip, br' ? br(gzipSync(body)) : body;
          const headers: Record<string, string> = {
            ...(w.contentType ? { 'content-type': w.contentType } : {}),
            ...(w.encoding === 'identity' ? {} : { 'content-encoding': w.encoding.replace(' (broken)', '') }),
            ...(w.retryAfter === undefined ? {} : { 'retry-after': w.retryAfter }),
          };
          api.intercept({ path: () => true, method: 'POST' }).reply(w.status, encoded, { headers });
          const result = await calls[reader]().then(
            (res) => ({ res }),
            (err: unknown) => ({ err }),
          );
          expect(agent.pendingInterceptors()).toEqual([]);
          if ('res' in result) {
            expect(w.status).toBeGreaterThanOrEqual(200);
            expect(w.status).toBeLessThan(300);
            expectPromised(reader, result.res.data);
            JSON.stringify(result.res.body);
            return;
          }
          const { err } = result;
          if (err instanceof InvalidResponseError) return expectRefusal(err);
          // The documented error for a status that is not a success, or for a 2xx whose body says it failed.
          if (err instanceof ApiError && (w.status >= 300 || saysStatus(body))) return;
          throw err;
        }),
        // The answers that crashed the client once, tried first on every run.
        {
          ...settings(RUNS.wire),
          examples: ['null', DEEP_STATUS].map((text): [Wire] => [
            { answer: { reader: 'nationalId', body: Buffer.from(text) }, status: 200, encoding: 'identity', contentType: 'application/json', retryAfter: undefined },
          ]),
        },
      );
    } finally {
      await client.close();
      await agent.close();
    }
  });
});

/** A body whose own statusCode the client takes as the truth (see interpret in client.ts). */
function saysStatus(body: Buffer): boolean {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && 'statusCode' in parsed;
  } catch {
    return false;
  }
}

// ---- CSV manifests -------------------------------------------------------------------------------------

const manifestPath = join(work, 'manifest.csv');
interface ManifestRead {
  rows: ManifestRow[];
  error?: unknown;
}
async function readAll(content: string | Uint8Array, kind: ManifestKind): Promise<ManifestRead> {
  await writeFile(manifestPath, content);
  const rows: ManifestRow[] = [];
  try {
    for await (const row of readManifest(manifestPath, kind)) rows.push(row);
    return { rows };
  } catch (error) {
    return { rows, error };
  }
}

/** Rows with line numbers that exist, in order, and no empty cell; or a one-line ManifestError naming lines that exist. */
function expectRowsOrManifestError({ rows, error }: ManifestRead, content: string | Uint8Array): void {
  const text = typeof content === 'string' ? content : Buffer.from(content).toString('latin1');
  // CR and LF each counted: csv-parse counts a CRLF inside a quoted cell as two lines.
  const lines = text.split(/\r|\n/).length;
  let previous = 0;
  for (const row of rows) {
    assert.ok(row.line > previous && row.line <= lines, `row at line ${row.line} after line ${previous}, of ${lines}`);
    previous = row.line;
    assert.ok(row.files.every(Boolean) && (!('numberId' in row) || row.numberId), `a row with an empty cell: ${JSON.stringify(row)}`);
  }
  if (error === undefined) return;
  if (!(error instanceof ManifestError)) throw error;
  assert.ok(error.message.startsWith(`${manifestPath}: `) && !/[\r\n]/.test(error.message), `not a one-line message naming the file: ${error.message}`);
  for (const [, n] of error.message.matchAll(/\bline (\d+)/g)) assert.ok(Number(n) >= 1 && Number(n) <= lines, `line ${n} of ${lines}: ${error.message}`);
}

const HEADERS = ['image1,image2', 'selfie,id', 'ID,Selfie', ' Image1 , IMAGE2 ,note', 'image,numberId', 'numberId,image,extra', 'image', 'photo,who', '', '"image1","image2"', 'image1;image2'];
const csvCell = fc.oneof(
  fc.constantFrom('a.jpg', 'sub/b.png', '/abs/c.jpg', '../up.jpg', 'ảnh chụp.jpg', '001099012345', ' padded.jpg ', '', '  ', 'a,b', 'say "cheese"', '\ufeff'),
  fc.string({ unit: 'binary-ascii', maxLength: 10 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
/** A cell as written: as it is (maybe breaking the CSV), quoted properly, or with a quote opened and never closed. */
const writtenCell = fc
  .tuple(csvCell, fc.constantFrom('raw', 'raw', 'quoted', 'unclosed'))
  .map(([cell, how]) => (how === 'quoted' ? `"${cell.replaceAll('"', '""')}"` : how === 'unclosed' ? `"${cell}` : cell));
const randomCsv = fc
  .record({
    bom: fc.boolean(),
    header: fc.oneof(fc.constantFrom(...HEADERS), fc.array(writtenCell, { maxLength: 4 }).map((c) => c.join(','))),
    rows: fc.array(fc.array(writtenCell, { maxLength: 4 }).map((c) => c.join(',')), { maxLength: 8 }),
    // Line ends mixed within a file, as after an edit in another editor; '\n\n' leaves an empty line.
    eols: fc.array(fc.constantFrom('\n', '\r\n', '\r', '\n\n'), { minLength: 9, maxLength: 9 }),
    finalEol: fc.boolean(),
  })
  .map(({ bom, header, rows, eols, finalEol }) => {
    const lines = [header, ...rows];
    return (bom ? '\ufeff' : '') + lines.map((l, i) => l + (i < lines.length - 1 || finalEol ? eols[i]! : '')).join('');
  });

/** A well-formed manifest, and the rows it must give. */
interface Manifest {
  kind: ManifestKind;
  text: string;
  /** The layout's column names, in the file's order. */
  columns: string[];
  /** Each data row: its cells in the file's order, and what it must read as (its line counted in the file). */
  rows: { cells: string[]; row: ManifestRow }[];
  /** The same file with one row's cells written as they are. */
  withRow(index: number, cells: string[]): string;
}
const LAYOUTS = [
  { kind: 'pair', columns: ['image1', 'image2'], mode: 'selfies' },
  { kind: 'pair', columns: ['selfie', 'id'], mode: 'selfie-id' },
  { kind: 'index', columns: ['image', 'numberId'] },
] as const;
// Cells the reader gives back as they are: not empty, no white space around them (it trims that), one line.
const pathCell = fc
  .oneof(
    fc.constantFrom('a.jpg', 'sub dir/b.png', '/abs/c.jpg', '../up.jpg', 'ảnh chụp.jpg', 'a,b.jpg', 'say "cheese".png', "o'neil.jpg", '#1.jpg', 'C:\\scans\\x.jpg'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
  )
  .filter((s) => /^\S(.*\S)?$/u.test(s) && !/[\u0085\u180e]/.test(s));
const manifest = (cell: fc.Arbitrary<string>, quoting: boolean): fc.Arbitrary<Manifest> =>
  fc
    .record({
      layout: fc.constantFrom(...LAYOUTS),
      swapped: fc.boolean(),
      upper: fc.boolean(),
      extra: fc.boolean(),
      values: fc.array(fc.tuple(cell, cell, cell), { minLength: 1, maxLength: 10 }),
      quoteAll: fc.boolean(),
      // Line ends mixed, as in a file edited on two systems (a lone CR is left to the random CSV above: before an
      // empty line it would make a CRLF).
      eols: fc.array(fc.constantFrom('\n', '\r\n'), { minLength: 22, maxLength: 22 }),
      blanks: fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
      bom: fc.boolean(),
      finalEol: fc.boolean(),
    })
    .map((g): Manifest => {
      const names: string[] = [...g.layout.columns, ...(g.extra ? ['note'] : [])];
      const order = (g.swapped ? [1, 0, 2] : [0, 1, 2]).slice(0, names.length);
      const quote = (c: string) => (quoting && (g.quoteAll || /[",]/.test(c)) ? `"${c.replaceAll('"', '""')}"` : c);
      const lines = [order.map((i) => quote(g.upper ? names[i]!.toUpperCase() : names[i]!)).join(',')];
      const at: number[] = [];
      const rows = g.values.map((values, r) => {
        if (g.blanks[r]) lines.push('');
        at.push(lines.length);
        const cells = order.map((i) => values[i]!);
        lines.push(cells.map(quote).join(','));
        const [a, b] = values;
        const file = (p: string) => (isAbsolute(p) ? p : join(work, p));
        const line = lines.length;
        const row: ManifestRow = g.layout.kind === 'index' ? { line, files: [file(a)], numberId: b } : { line, mode: g.layout.mode, files: [file(a), file(b)] };
        return { cells, row };
      });
      const write = (ls: string[]) => (g.bom ? '\ufeff' : '') + ls.map((l, i) => l + (i < ls.length - 1 || g.finalEol ? g.eols[i]! : '')).join('');
      return {
        kind: g.layout.kind,
        text: write(lines),
        columns: order.map((i) => names[i]!),
        rows,
        withRow: (index, cells) => write(lines.map((l, i) => (i === at[index] ? cells.join(',') : l))),
      };
    });

const kind = fc.constantFrom<ManifestKind>('pair', 'index');

describe('CSV manifests: rows or a ManifestError naming the line, never a crash', () => {
  it(`random bytes (${RUNS.manifestBytes} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), kind, async (bytes, k) => expectRowsOrManifestError(await readAll(bytes, k), bytes)),
      settings(RUNS.manifestBytes),
    );
  });

  it(`random CSV: quotes, BOM, CRLF, CR, mixed line ends, empty lines, wrong headers (${RUNS.manifestCsv} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(randomCsv, kind, async (text, k) => expectRowsOrManifestError(await readAll(text, k), text)),
      settings(RUNS.manifestCsv),
    );
  });

  it(`a well-formed manifest gives exactly its rows, with their line numbers (${RUNS.manifestRoundTrip} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(manifest(pathCell, true), async (m) => {
        expect(await readAll(m.text, m.kind)).toEqual({ rows: m.rows.map((r) => r.row) });
      }),
      settings(RUNS.manifestRoundTrip),
    );
  });

  it(`a damaged row: an error naming its line, after the rows before it for an empty cell (${RUNS.manifestDamage} cases)`, async () => {
    // Cells without quotes or commas, written unquoted, so a quote the damage opens is the only one in the file.
    const plain = pathCell.map((s) => s.replace(/[",]/g, '_'));
    const damage = fc.constantFrom('empty cell', 'blank cell', 'stray quote', 'unclosed quote');
    await fc.assert(
      fc.asyncProperty(manifest(plain, false), fc.nat(), damage, async (m, pick, how) => {
        const index = pick % m.rows.length;
        const { cells, row } = m.rows[index]!;
        const first = { 'empty cell': '', 'blank cell': ' \t ', 'stray quote': `x"${cells[0]}`, 'unclosed quote': `"${cells[0]}` }[how];
        const read = await readAll(m.withRow(index, [first, ...cells.slice(1)]), m.kind);
        expect(read.error).toBeInstanceOf(ManifestError);
        expect((read.error as Error).message).toContain(`line ${row.line}`);
        if (how.endsWith('cell')) {
          expect((read.error as Error).message).toContain(`line ${row.line}: the "${m.columns[0]}" cell is empty`);
          expect(read.rows).toEqual(m.rows.slice(0, index).map((r) => r.row));
        }
      }),
      settings(RUNS.manifestDamage),
    );
  });
});

// ---- results file --------------------------------------------------------------------------------------

const resultsPath = join(work, 'results.jsonl');
interface Key {
  file: string;
  sha256: string;
}
/** Names and contents from a small pool, so one input shows up as a success, a failure and a torn line. */
const FILES = ['a.jpg', 'b.jpg', 'ảnh.png', 'dir/c.png'];
const HASHES = ['aaa', 'bbb', 'ccc'];
const ALL_KEYS: Key[] = FILES.flatMap((file) => HASHES.map((sha256) => ({ file, sha256 })));
const key: fc.Arbitrary<Key> = fc.constantFrom(...ALL_KEYS);
const keyText = (k: Key) => `${k.file}\0${k.sha256}`;
const record = (k: Key, outcome: ResultRecord['outcome']): ResultRecord => ({
  ...k,
  ok: outcome === 'ok' || outcome === 'review',
  outcome,
  durationMs: 12,
  ...(outcome === 'ok' ? { response: { result: { name: 'Nguyễn Văn A' } } } : { error: { code: 'server_error', status: 503, message: 'Service unavailable' } }),
});
const OUTCOMES = { final: ['ok', 'review', 'not_detected'], notFinal: ['failed', 'skipped'] } as const;

/** One line of a results file, and what the reader must make of it. */
type Line = { kind: 'final'; key: Key; text: string } | { kind: 'not final' | 'other JSON' | 'garbage' | 'blank'; text: string };
/** Records that look done but are not a valid success: their input must be sent again. */
const SPOILERS: ((r: Record<string, unknown>) => void)[] = [
  (r) => (r.ok = 'true'),
  (r) => (r.ok = 1),
  (r) => delete r.sha256,
  (r) => (r.sha256 = 7),
  (r) => (r.file = null),
  (r) => delete r.ok,
  (r) => Object.assign(r, { ok: false, outcome: 'not detected' }),
];
const cutRecord = fc.tuple(key, fc.nat()).map(([k, cut]) => {
  const text = JSON.stringify(record(k, 'ok'));
  return text.slice(0, cut % text.length);
});
const line: fc.Arbitrary<Line> = fc.oneof(
  { arbitrary: fc.tuple(key, fc.constantFrom(...OUTCOMES.final)).map(([k, o]) => ({ kind: 'final' as const, key: k, text: JSON.stringify(record(k, o)) })), weight: 4 },
  fc.tuple(key, fc.constantFrom(...OUTCOMES.notFinal)).map(([k, o]) => ({ kind: 'not final' as const, text: JSON.stringify(record(k, o)) })),
  fc.tuple(key, fc.constantFrom(...SPOILERS)).map(([k, spoil]) => {
    const r = { ...record(k, 'ok') } as Record<string, unknown>;
    spoil(r);
    return { kind: 'not final' as const, text: JSON.stringify(r) };
  }),
  fc.constantFrom('42', '"ok"', 'null', '[]', '{}', 'true').map((text) => ({ kind: 'other JSON' as const, text })),
  // Invalid JSON whatever follows the control character: random text, or a record cut short.
  fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), cutRecord).map((t) => ({ kind: 'garbage' as const, text: `\u0001${t.replace(/\n/g, ' ')}` })),
  fc.constantFrom('', ' ', '\t', '\r').map((text) => ({ kind: 'blank' as const, text })),
);
/** What a crash can leave at the end: nothing, part of a record, or NULs where a file system lost the data. */
const tail = fc.oneof(fc.constant(''), cutRecord, fc.nat({ max: 4096 }).map((n) => '\0'.repeat(n + 1)));

async function openResults(content: string | Uint8Array): Promise<ResultsFile> {
  await writeFile(resultsPath, content);
  return openResultsFile(resultsPath);
}

describe('results file: opens (cutting a torn tail) or refuses with ResultsFileError, never a crash', () => {
  it('valid records cut at every byte: every complete record kept, the torn one cut, no other counted', async () => {
    const lines = [
      { key: { file: 'a.jpg', sha256: 'aaa' }, outcome: 'ok', eol: '\n' },
      { key: { file: 'ảnh.png', sha256: 'bbb' }, outcome: 'failed', eol: '\r\n' },
      { key: { file: 'dir/c.png', sha256: 'ccc' }, outcome: 'not_detected', eol: '\n' },
    ] as const;
    const texts = lines.map((l) => Buffer.from(JSON.stringify(record(l.key, l.outcome))));
    const whole = Buffer.concat(lines.flatMap((l, i) => [texts[i]!, Buffer.from(l.eol)]));
    let start = 0;
    const spans = lines.map((l, i) => {
      const span = { jsonEnd: start + texts[i]!.length, lineEnd: start + texts[i]!.length + l.eol.length };
      start = span.lineEnd;
      return span;
    });
    for (let cut = 0; cut <= whole.length; cut++) {
      const file = await openResults(whole.subarray(0, cut));
      const complete = spans.filter((s) => s.jsonEnd <= cut).length;
      const last = spans[complete - 1];
      expect(file.has('a.jpg', 'aaa'), `cut at ${cut}`).toBe(complete >= 1);
      expect(file.has('ảnh.png', 'bbb'), `cut at ${cut}`).toBe(false);
      expect(file.has('dir/c.png', 'ccc'), `cut at ${cut}`).toBe(complete >= 3);
      await file.close();
      // A record that lost only its newline (or half of its CRLF) is kept, and its line ended.
      const expected = !last ? '' : last.lineEnd <= cut ? whole.subarray(0, last.lineEnd).toString() : `${whole.subarray(0, cut).toString()}\n`;
      expect(await readFile(resultsPath, 'utf8'), `cut at ${cut}`).toBe(expected);
    }
  });

  it(`valid, failed, spoiled, garbage, blank and CRLF lines, then a torn tail (${RUNS.results} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n')), { maxLength: 12 }), tail, async (lines, torn) => {
        const firstGarbage = lines.findIndex(([l]) => l.kind === 'garbage');
        const intact = firstGarbage === -1 ? lines : lines.slice(0, firstGarbage);
        const validAfterDamage = lines.slice(intact.length).some(([l]) => l.kind !== 'garbage' && l.kind !== 'blank');
        const opened = await openResults(lines.map(([l, eol]) => l.text + eol).join('') + torn).catch((err: unknown) => err);
        if (validAfterDamage) {
          expect(opened).toBeInstanceOf(ResultsFileError);
          expect((opened as Error).message).toMatch(new RegExp(`^${resultsPath}: line ${firstGarbage + 1} is not valid JSON`));
          return;
        }
        if (!(opened instanceof Object) || opened instanceof Error) throw opened;
        const file = opened as ResultsFile;
        const done = new Set(intact.flatMap(([l]) => (l.kind === 'final' ? [keyText(l.key)] : [])));
        expect(file.previouslyDone).toBe(done.size);
        for (const k of ALL_KEYS) expect(file.has(k.file, k.sha256), keyText(k)).toBe(done.has(keyText(k)));
        file.append(record({ file: 'new.jpg', sha256: 'ddd' }, 'ok'));
        await file.close();
        // Every line up to the last valid one is still there byte for byte, and what follows is the new record.
        const lastValid = intact.findLastIndex(([l]) => l.kind !== 'blank');
        const kept = intact.slice(0, lastValid + 1).map(([l, eol]) => l.text + eol).join('');
        const after = await readFile(resultsPath, 'utf8');
        expect(after.startsWith(kept)).toBe(true);
        expect(after.slice(kept.length)).toBe(`${JSON.stringify(record({ file: 'new.jpg', sha256: 'ddd' }, 'ok'))}\n`);
      }),
      settings(RUNS.results),
    );
  });

  it('huge lines: a whole 4 MB record is kept, a torn one cut', async () => {
    const text = `${JSON.stringify({ ...record({ file: 'a.jpg', sha256: 'aaa' }, 'ok'), response: 'x'.repeat(4 * 1024 * 1024) })}\n`;
    const file = await openResults(text + text.slice(0, -100));
    expect(file.has('a.jpg', 'aaa')).toBe(true);
    await file.close();
    expect(await readFile(resultsPath, 'utf8')).toBe(text);
  });
});

afterAll(() => rm(work, { recursive: true, force: true }));
