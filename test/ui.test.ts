import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { FaceCompareResult, HistoryResult, LivenessResult, OcrResult, SearchResult } from '../src/api/types.js';
import {
  AuthenticationError,
  ConnectionError,
  FileTooLargeError,
  NotDetectedError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from '../src/api/errors.js';
import { explainCode } from '../src/vn/codes.js';
import { colorsFor } from '../src/ui/colors.js';
import { formatError } from '../src/ui/errors.js';
import { createCsvWriter, flattenOcr, NATIONAL_ID_COLUMNS, safeCsvCell, toJson, toNdjsonLine } from '../src/ui/records.js';
import { terminalSafe } from '../src/ui/safe-text.js';
import { startSpinner } from '../src/ui/spinner.js';
import {
  renderBatchSummary,
  renderFaceCompare,
  renderHistory,
  renderIndexed,
  renderLiveness,
  renderOcr,
  renderSearch,
} from '../src/ui/tables.js';

const ESC = '\u001b[';
const plain = colorsFor({ isTTY: false }, {});
const colored = colorsFor({ isTTY: false }, { FORCE_COLOR: '1' });

/** The reference's national-ID sample, with the history sample's glare and tamper findings and a review verdict. */
const ocr: OcrResult = {
  documents: [
    {
      type: 'cccd_chip_front',
      fields: {
        idNumber: { value: '030187003568', review: false, conf: 0.99 },
        name: { value: 'PHẠM THỊ THU THỦY', review: false },
        dob: { value: '08-08-1987', review: true, conf: 0.59 },
        homeTown: { value: 'Xã Thanh Lang, Huyện Thanh Hà, Tỉnh Hải Dương', review: false },
        permanentAddress: {
          value: 'P509-K2 Nghĩa Tân, Cầu Giấy, Hà Nội',
          review: false,
          parts: { street: '', ward: 'P509-K2 Nghĩa Tân', province: 'Hà Nội', district: 'Cầu Giấy' },
        },
        gender: { value: 'Nữ', review: false },
        nationality: { value: 'Việt Nam', review: false },
      },
      checks: {
        qualityChecks: { blur: { value: 'no', review: false }, glare: { value: 'yes', review: false } },
        ruleChecks: { idNumberLengthMismatch: { value: 'no', review: false } },
        tamperChecks: { photoTampered: { value: '', review: true } },
      },
    },
  ],
  summary: {
    action: 'review',
    rawAction: 'Manual Review',
    details: [
      { code: '049', message: 'CMND/CCCD bị chói sáng' },
      { code: '777', message: 'Một mã chưa có trong tài liệu' },
    ],
  },
};

const FACE_URL =
  'https://storage.test.finos.asia/finos-public-test-bucket/FACE_INDEXING/MOVI/434922241667372509.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=fb4e417c';

const search: SearchResult = {
  matches: [
    { milvusId: '434922241667372509', similarity: 71.25461101531982, idNumber: '212706786', facePath: FACE_URL, indexingTime: '2022-07-30' },
    { milvusId: '434922241667552695', similarity: 68.62101703882217, idNumber: '001202007844', facePath: `${FACE_URL}2`, indexingTime: '2022-07-30' },
  ],
};

const history: HistoryResult = {
  transactions: [
    {
      requestTime: '18/10/2022 02:35:35',
      apiCode: 'OCR_NATIONALID',
      statusCode: '200',
      data: {
        status: 'success',
        statusCode: '200',
        result: {
          details: [
            {
              fieldsExtracted: {
                name: { value: 'NGUYỄN THÀNH TÀI', toBeReviewed: 'no' },
                permanentAddress: { value: '51/45 Chu Văn An, Phường 12', toBeReviewed: 'yes', province: 'Hồ Chí Minh', ward: '12' },
              },
              qualityChecks: { glare: { value: 'yes', toBeReviewed: 'no' } },
              type: 'cccd_chip_front',
            },
          ],
          summary: { action: 'Manual Review', details: [{ code: '049', message: 'CMND/CCCD bị chói sáng' }] },
        },
        requestId: '0663ecf8-3cee-4ec5-851b-959effc6bb38',
      },
      imagePaths: ['https://storage.test.finos.asia/ekyc-transaction/79fd6cfb/image1.jpg?X-Amz-Signature=6cb2'],
    },
    {
      requestTime: '17/10/2022 09:03:47',
      apiCode: 'RECOGNITION_FACE_SEARCHING',
      statusCode: '200',
      data: { messages: [{ code: 'SUCCESS', message: 'Operation successful.' }], data: [] },
      imagePaths: [],
    },
  ],
};

/** The widths of each table's lines, in characters (one column each, for precomposed Vietnamese). */
function tableWidths(text: string): Array<Set<number>> {
  const tables: Array<Set<number>> = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('┌')) tables.push(new Set());
    if (/^[┌│├└]/.test(line)) tables.at(-1)?.add([...line].length);
  }
  return tables;
}

function lineWith(text: string, needle: string): string {
  const line = text.split('\n').find((l) => l.includes(needle));
  if (!line) throw new Error(`no line with ${needle} in:\n${text}`);
  return line;
}

describe('colorsFor', () => {
  it('is off for a pipe, with NO_COLOR, with --no-color, and with FORCE_COLOR=0', () => {
    expect(colorsFor({ isTTY: false }, {}).level).toBe(0);
    expect(colorsFor({ isTTY: true }, { NO_COLOR: '1' }).level).toBe(0);
    expect(colorsFor({ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '3' }).level).toBe(0);
    expect(colorsFor({ isTTY: true }, {}, false).level).toBe(0);
    expect(colorsFor({ isTTY: true }, { FORCE_COLOR: '0' }).level).toBe(0);
    expect(colorsFor({ isTTY: true }, { TERM: 'dumb' }).level).toBe(0);
  });

  it('is on for a terminal, and FORCE_COLOR turns it on for a pipe', () => {
    expect(colorsFor({ isTTY: true }, { NO_COLOR: '' }).level).toBeGreaterThan(0);
    expect(colorsFor({ isTTY: false }, { FORCE_COLOR: '1' }).level).toBe(1);
    expect(colorsFor({ isTTY: false }, { FORCE_COLOR: 'true' }).level).toBe(1);
    expect(colorsFor({ isTTY: false }, { FORCE_COLOR: '3' }).level).toBe(3);
    expect(colorsFor({ isTTY: true }, { COLORTERM: 'truecolor' }).level).toBe(3);
  });

  it('decides what renderers emit', () => {
    expect(renderOcr(ocr, { colors: plain })).not.toContain(ESC);
    expect(renderOcr(ocr, { colors: colored })).toContain(ESC);
  });
});

describe('renderOcr', () => {
  const out = renderOcr(ocr, { colors: plain });

  it('names the document in English and Vietnamese', () => {
    expect(out).toContain('cccd_chip_front Chip Citizen ID, front / CCCD gắn chip, mặt trước');
  });

  it('flags review fields with a text marker, so it shows without colour', () => {
    expect(lineWith(out, '08-08-1987')).toContain('⚠ review');
    expect(lineWith(out, '030187003568')).not.toContain('⚠ review');
    expect(lineWith(out, 'Portrait tampered with')).toContain('⚠ review');
  });

  it('paints review fields yellow when colour is on', () => {
    expect(renderOcr(ocr, { colors: colored })).toContain(colored.yellow('⚠ review'));
  });

  it('keeps Vietnamese intact and the table aligned', () => {
    expect(out).toContain('PHẠM THỊ THU THỦY');
    expect(out).toContain('Xã Thanh Lang, Huyện Thanh Hà, Tỉnh Hải Dương');
    const widths = tableWidths(out);
    expect(widths).toHaveLength(2);
    for (const w of widths) expect(w.size).toBe(1);
  });

  it('shows confidence as a percentage and address parts as indented rows, province first', () => {
    expect(lineWith(out, '08-08-1987')).toContain('59%');
    expect(lineWith(out, '030187003568')).toContain('99%');
    expect(lineWith(out, 'Province')).toMatch(/│ {3}Province +│ Hà Nội/);
    expect(out.indexOf('  Province')).toBeLessThan(out.indexOf('  District'));
    expect(out.indexOf('  District')).toBeLessThan(out.indexOf('  Ward'));
    expect(lineWith(out, '  Street')).toContain('(empty)');
  });

  it('shows control characters from the API escaped, so a value cannot drive the terminal or break a row', () => {
    const hostile: OcrResult = { documents: [{ type: 'x', fields: { name: { value: 'A\u001b[2J\nB\u202e', review: false } }, checks: {} }] };
    const text = renderOcr(hostile, { colors: plain });
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u202e');
    expect(text).toContain('A\\x1b[2J\\nB\\u202e');
  });

  it('marks a `yes` quality check as a problem, not a `no`', () => {
    expect(lineWith(out, 'Glare')).toContain('✗ yes');
    expect(lineWith(out, 'Blurred')).not.toContain('✗');
  });

  it('explains summary codes in Vietnamese and English, and falls back to the API message', () => {
    expect(out).toContain('MANUAL REVIEW');
    const glare = explainCode('049');
    expect(glare).toBeDefined();
    expect(out).toContain(`049  ${glare?.vi}`);
    expect(out).toContain(glare?.en);
    expect(out).toContain('777  Một mã chưa có trong tài liệu');
    const pass = renderOcr({ ...ocr, summary: { action: 'pass', rawAction: 'pass', details: [] } }, { colors: plain });
    expect(pass).toContain('Summary: PASS');
  });
});

describe('renderFaceCompare and renderLiveness', () => {
  const compare: FaceCompareResult = { match: false, score: 52, conf: 99, review: true };

  it('shows match, score, threshold, confidence and review', () => {
    const out = renderFaceCompare(compare, { colors: plain, threshold: 85 });
    expect(lineWith(out, 'Match')).toContain('no');
    expect(lineWith(out, 'Score')).toContain('52');
    expect(lineWith(out, 'Threshold')).toContain('85');
    expect(lineWith(out, 'Confidence')).toContain('99%');
    expect(lineWith(out, 'Review')).toContain('⚠ review');
    expect(renderFaceCompare(compare, { colors: plain })).not.toContain('Threshold');
  });

  it('shows liveness, flagged quality checks and the 11x codes explained', () => {
    const live: LivenessResult = {
      live: false,
      review: false,
      qualityChecks: { maskPresent: { value: 'yes', review: false }, eyesClosed: { value: 'no', review: false } },
      summary: {
        action: 'review',
        rawAction: 'manualReview',
        details: [
          { code: '111', message: 'Selfie Not Live' },
          { code: '114', message: 'Mask detected in selfie' },
        ],
      },
    };
    const out = renderLiveness(live, { colors: plain });
    expect(lineWith(out, 'Live')).toContain('no');
    expect(lineWith(out, 'Mask present')).toContain('✗ yes');
    expect(out).toContain(`111  ${explainCode('111')?.vi}`);
    expect(out).toContain(`114  ${explainCode('114')?.vi}`);
    expect(out).toContain('MANUAL REVIEW');
  });
});

describe('face URLs and image URLs', () => {
  it('are hidden by default with a hint, and listed with showUrls', () => {
    const hidden = renderSearch(search, { colors: plain });
    expect(hidden).not.toContain('https://');
    expect(hidden).toContain('--show-urls');
    const shown = renderSearch(search, { colors: plain, showUrls: true });
    expect(shown).toContain(`1. ${FACE_URL}\n`);
    expect(shown).toContain(`2. ${FACE_URL}2\n`);
    expect(shown).not.toContain('--show-urls');
  });

  it('ranks search matches with similarity as a percentage', () => {
    const out = renderSearch(search, { colors: plain });
    expect(lineWith(out, '212706786')).toMatch(/│ 1 +│ 212706786 +│ 71\.3% +│ 2022-07-30/);
    expect(renderSearch({ matches: [] }, { colors: plain })).toBe('No matching faces.\n');
  });

  it('applies to an indexed face and to history images', () => {
    const face = search.matches[0]!;
    expect(renderIndexed(face, { colors: plain })).not.toContain('https://');
    expect(renderIndexed(face, { colors: plain, showUrls: true })).toContain(FACE_URL);
    expect(renderHistory(history, { colors: plain })).not.toContain('https://');
    expect(renderHistory(history, { colors: plain })).toContain('image URLs hidden');
    expect(renderHistory(history, { colors: plain, showUrls: true })).toContain(history.transactions[0]!.imagePaths[0]);
  });
});

describe('renderHistory', () => {
  const out = renderHistory(history, { colors: plain });

  it('heads each transaction with time, API code and status', () => {
    expect(out).toContain('18/10/2022 02:35:35  OCR_NATIONALID  status 200');
    expect(out).toContain('17/10/2022 09:03:47  RECOGNITION_FACE_SEARCHING  status 200');
  });

  it('shows a result body as compact label: value lines, review flags included', () => {
    expect(out).toContain('  name: NGUYỄN THÀNH TÀI\n');
    expect(out).toContain('  permanentAddress: 51/45 Chu Văn An, Phường 12 ⚠ review\n');
    expect(out).toContain('  permanentAddress.province: Hồ Chí Minh\n');
    expect(out).toContain('  qualityChecks.glare: yes\n');
    expect(out).toContain('  summary: 049 CMND/CCCD bị chói sáng\n');
    expect(out).toContain('  requestId: 0663ecf8-3cee-4ec5-851b-959effc6bb38\n');
    expect(out).not.toContain('statusCode:');
  });

  it('shows any other body as indented JSON', () => {
    expect(out).toContain('  {\n    "messages": [');
  });
});

describe('renderBatchSummary', () => {
  it('counts outcomes and computes throughput', () => {
    const out = renderBatchSummary({ total: 12, ok: 7, review: 2, notDetected: 1, failedByCode: { rate_limited: 1 }, alreadyDone: 1, durationMs: 4000 }, plain);
    expect(lineWith(out, 'OK')).toContain('7');
    expect(lineWith(out, 'Failed (rate_limited)')).toContain('1');
    expect(lineWith(out, 'Duration')).toContain('4.0 s');
    expect(lineWith(out, 'Throughput')).toContain('2.8 req/s');
    expect(lineWith(renderBatchSummary({ total: 0, ok: 0, review: 0, notDetected: 0, failedByCode: {}, durationMs: 0 }, plain), 'Throughput')).toContain('–');
  });
});

describe('toNdjsonLine', () => {
  it('is one line of UTF-8 JSON, whatever the values hold', () => {
    const rec = { file: 'a.jpg', name: 'PHẠM THỊ THU THỦY', note: 'line1\nline2\r\u2028end' };
    const line = toNdjsonLine(rec);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(line).toContain('PHẠM THỊ THU THỦY');
    expect(JSON.parse(line)).toEqual(rec);
  });
});

describe('flattenOcr', () => {
  it('flattens fields, address parts, summary and review fields; later documents are prefixed', () => {
    const back = { type: 'cccd_chip_back', fields: { doi: { value: '10-10-2021', review: true } }, checks: {} };
    const row = flattenOcr({ ...ocr, documents: [...ocr.documents, back] });
    expect(row).toMatchObject({
      documentType: 'cccd_chip_front;cccd_chip_back',
      idNumber: '030187003568',
      name: 'PHẠM THỊ THU THỦY',
      'permanentAddress.province': 'Hà Nội',
      'cccd_chip_back.doi': '10-10-2021',
      summaryAction: 'review',
      summaryCodes: '049;777',
      reviewFields: 'dob;cccd_chip_back.doi',
    });
  });
});

describe('createCsvWriter', () => {
  function collect(columns?: readonly string[]): { text: () => string; writer: ReturnType<typeof createCsvWriter> } {
    let text = '';
    const writer = createCsvWriter({ write: (s: string) => (text += s) }, columns);
    return { text: () => text, writer };
  }

  it('quotes commas and quotes, turns a line break into a space, and round-trips Vietnamese', () => {
    const { text, writer } = collect();
    writer.write('ảnh 1.jpg', { name: 'PHẠM THỊ "THỦY"', address: 'Cầu Giấy, Hà Nội', note: 'a\nb' });
    expect(text()).toContain('"PHẠM THỊ ""THỦY"""');
    expect(text()).toContain('"Cầu Giấy, Hà Nội"');
    expect(parse(text())).toEqual([
      ['file', 'name', 'address', 'note', 'extra'],
      ['ảnh 1.jpg', 'PHẠM THỊ "THỦY"', 'Cầu Giấy, Hà Nội', 'a b', ''],
    ]);
  });

  it('writes the header once and keeps every row the same width: unknown keys go to `extra`', () => {
    const { text, writer } = collect();
    writer.write('a.jpg', { idNumber: '1', name: 'A' });
    writer.write('b.jpg', { idNumber: '2', doi: '10-10-2021', review: true });
    const rows = parse(text()) as string[][];
    expect(rows).toEqual([
      ['file', 'idNumber', 'name', 'extra'],
      ['a.jpg', '1', 'A', ''],
      ['b.jpg', '2', '', '{"doi":"10-10-2021","review":true}'],
    ]);
  });

  it('writes a header for explicit columns at once, even when no row follows', () => {
    const { text, writer } = collect(NATIONAL_ID_COLUMNS);
    expect(text()).toBe(`file,${NATIONAL_ID_COLUMNS.join(',')},extra\n`);
    writer.write('a.jpg', { ...flattenOcr(ocr), status: 'ok' });
    const rows = parse(text()) as string[][];
    expect(rows[1]?.length).toBe(rows[0]?.length);
    expect(rows[1]?.at(-1)).toBe('{"status":"ok"}');
  });
});

describe('terminalSafe', () => {
  /** Every character a terminal acts on, as the issue lists them. */
  const UNSAFE = [
    ...Array.from({ length: 0x20 }, (_, c) => c),
    0x7f,
    ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i),
    ...[0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069],
  ].map((c) => String.fromCharCode(c));

  it('shows every C0, DEL, C1 and bidi control as an escape, never raw', () => {
    for (const c of UNSAFE) {
      const shown = terminalSafe(`a${c}b`);
      expect(shown, `U+${c.charCodeAt(0).toString(16)}`).toMatch(/^a\\(x[0-9a-f]{2}|u[0-9a-f]{4}|[nrtb])b$/);
    }
    expect(terminalSafe('\u001b]8;;https://evil.example/\u0007link\u001b]8;;\u0007')).toBe('\\x1b]8;;https://evil.example/\\x07link\\x1b]8;;\\x07');
    expect(terminalSafe('\u001b]52;c;aGk=\u0007\r\b\u009b2J\u202e')).toBe('\\x1b]52;c;aGk=\\x07\\r\\b\\x9b2J\\u202e');
  });

  it('keeps printable text, Vietnamese included, and line feeds only where asked', () => {
    expect(terminalSafe('NGUYỄN VĂN AN, Hà Nội ✓')).toBe('NGUYỄN VĂN AN, Hà Nội ✓');
    expect(terminalSafe('a\nb')).toBe('a\\nb');
    expect(terminalSafe('a\nb\u001b', { multiline: true })).toBe('a\nb\\x1b');
  });
});

describe('toJson', () => {
  it('escapes what JSON.stringify leaves raw (C1, DEL, bidi, U+2028) and parses back to the same values', () => {
    const value = { name: '\u009b31m\u202eA\u007f\u2028\u001b', n: 1 };
    const text = toJson(value, 2);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u202e]/);
    expect(text).toContain('\\u009b31m\\u202eA\\u007f\\u2028\\u001b');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('safeCsvCell and formula-safe CSV', () => {
  it('prefixes a cell that starts a formula with a quote (OWASP), after spaces too', () => {
    for (const v of ['=1+2', '+1', '-1', '@SUM(A1)', '=HYPERLINK("http://x"&A1,"x")', '  =1', '\t=1', '\rx']) {
      expect(String(safeCsvCell(v)), JSON.stringify(v)).toMatch(/^'/);
    }
    expect(safeCsvCell('\t=1')).toBe("' =1");
    for (const v of ['NGUYỄN VĂN AN', '030187003568', '08-08-1987', "'already", '']) expect(safeCsvCell(v)).toBe(v);
  });

  it('removes control and bidi characters (a line break or tab becomes a space); leaves numbers and booleans', () => {
    expect(safeCsvCell('A\u001b[2J\u009b\u202eB\nC')).toBe('A[2JB C');
    expect(safeCsvCell(-5)).toBe(-5);
    expect(safeCsvCell(true)).toBe(true);
  });

  it('applies to every cell, file and header included, unless raw', () => {
    const rows = (raw: boolean): string[][] => {
      let text = '';
      createCsvWriter({ write: (t: string) => (text += t) }, undefined, { raw }).write('=evil\u202e.png', { name: '=HYPERLINK("http://x"&A1,"x")\u001b', '@col': 'x' });
      return parse(text) as string[][];
    };
    expect(rows(false)).toEqual([
      ['file', 'name', "'@col", 'extra'],
      ["'=evil.png", '\'=HYPERLINK("http://x"&A1,"x")', 'x', ''],
    ]);
    expect(rows(true)[1]).toEqual(['=evil\u202e.png', '=HYPERLINK("http://x"&A1,"x")\u001b', 'x', '']);
  });
});

describe('formatError', () => {
  it('prints one line with the request id, and a hint for fixable errors', () => {
    const err = new AuthenticationError('API Key is not valid or is expired / revoked.', { status: 401, requestId: 'req-1', body: { secret: 'x' } });
    const out = formatError(err, { colors: plain });
    expect(out).toBe('finos-ekyc: API Key is not valid or is expired / revoked. (HTTP 401, requestId req-1)\nhint: run `finos-ekyc login` or set FINOS_API_KEY\n');
    expect(out).not.toContain('secret');
  });

  it('gives the hint matching each class', () => {
    const hint = (e: unknown): string => formatError(e, { colors: plain }).split('\n')[1] ?? '';
    expect(hint(new RateLimitError('Rate limit exceeded', { status: 429, retryAfterMs: 1500 }))).toBe('hint: lower --concurrency or --rate (the API asked to wait 2 s)');
    expect(hint(new FileTooLargeError('big.jpg', 20_000_000, 10_000_000))).toContain('resize');
    expect(hint(new ConnectionError('connect ECONNREFUSED'))).toContain('--host');
    expect(hint(new TimeoutError('no response'))).toContain('--timeout');
    expect(hint(new NotDetectedError('National ID not detected', { status: 422 }))).toBe('');
  });

  it('keeps a hostile API message on one line, and shows the stack only with debug', () => {
    const err = new ServerError('bad\n\u001b[2Jthing', { status: 500 });
    expect(formatError(err, { colors: plain })).toBe('finos-ekyc: bad\\n\\x1b[2Jthing (HTTP 500)\n');
    expect(formatError(err, { colors: plain, file: 'a\u202e.png' })).toBe('finos-ekyc: a\\u202e.png: bad\\n\\x1b[2Jthing (HTTP 500)\n');
    expect(formatError(err, { colors: plain, debug: true })).not.toContain('\u001b');
    expect(formatError(err, { colors: plain, debug: true })).toContain('at ');
    expect(formatError('plain string', { colors: plain })).toBe('finos-ekyc: plain string\n');
  });
});

describe('startSpinner', () => {
  it('is a no-op when disabled', async () => {
    const writes: string[] = [];
    const stream = { write: (s: string) => writes.push(s) } as unknown as NodeJS.WritableStream;
    const s = startSpinner('working', { stream, enabled: false });
    s.update('still working');
    await s.succeed('done');
    expect(writes).toEqual([]);
  });

  it('writes the final line when the work ends before ora has loaded', async () => {
    const { PassThrough } = await import('node:stream');
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString()));
    const s = startSpinner('working', { stream, enabled: true });
    s.update('3 of 3');
    await s.succeed();
    await s.fail('ignored: already finished');
    expect(text).toContain('3 of 3');
    expect(text).not.toContain('ignored');
  });
});
