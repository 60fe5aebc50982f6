import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FormParser, parseHeaderParams, type FormLimits } from '../src/mock/form-parser.js';

const LIMITS: FormLimits = { fieldSize: 1024, fields: 10, files: 3, parts: 12, headerPairs: 10 };

interface Parsed {
  complete: boolean;
  fields: [string, string][];
  files: { name: string; filename: string | undefined; contentType: string; size: number; sha256: string }[];
}

/** Feeds `body` to a parser in the chunks `cuts` gives, and reports what it saw. */
function parse(boundary: string, body: Buffer, cuts: number[] = [], limits = LIMITS): Parsed {
  const out: Parsed = { complete: false, fields: [], files: [] };
  const parser = new FormParser(boundary, limits, {
    field: (name, value) => out.fields.push([name, value]),
    file: (part) => {
      const hash = createHash('sha256');
      let size = 0;
      return {
        update: (chunk) => {
          hash.update(chunk);
          size += chunk.length;
        },
        end: () => out.files.push({ name: part.name, filename: part.filename, contentType: part.contentType, size, sha256: hash.digest('hex') }),
      };
    },
  });
  let at = 0;
  for (const cut of [...cuts, body.length]) {
    parser.write(body.subarray(at, cut));
    at = cut;
  }
  out.complete = parser.end();
  return out;
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** A file whose bytes contain CRLF, dashes and most of the boundary: only the whole delimiter may end it. */
const FILE = Buffer.concat([Buffer.from('\x89PNG\r\n--XyZ\r\n--XyZbound'), Buffer.alloc(3000, 7), Buffer.from('\r\n-')]);
const B = 'XyZboundary';

function form(parts: string[], tail = `--${B}--\r\n`): Buffer {
  return Buffer.concat([...parts.map((p) => Buffer.from(p, 'latin1')), Buffer.from(tail)]);
}

const SAMPLE = Buffer.concat([
  Buffer.from(`preamble to ignore\r\n--${B}\r\nContent-Disposition: form-data; name="partition"\r\n\r\nbank-a\r\n`),
  Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="image"; filename="C:\\\\scans\\\\card.png"\r\nContent-Type: Image/PNG\r\n\r\n`),
  FILE,
  Buffer.from(`\r\n--${B}\r\ncontent-disposition: form-data; name="numberId"\r\n\r\n0790123456\r\n--${B}--\r\nepilogue`),
]);

const EXPECTED: Parsed = {
  complete: true,
  fields: [
    ['partition', 'bank-a'],
    ['numberId', '0790123456'],
  ],
  files: [{ name: 'image', filename: 'card.png', contentType: 'image/png', size: FILE.length, sha256: sha(FILE) }],
};

describe('FormParser', () => {
  it('reads fields and files, whatever the file holds, in one chunk', () => {
    expect(parse(B, SAMPLE)).toEqual(EXPECTED);
  });

  it('reads the same form however the body is split, down to one byte at a time', () => {
    expect(parse(B, SAMPLE, Array.from({ length: SAMPLE.length - 1 }, (_, i) => i + 1))).toEqual(EXPECTED);
    for (let cut = 1; cut < SAMPLE.length; cut += 7) expect(parse(B, SAMPLE, [cut])).toEqual(EXPECTED);
  });

  it('agrees with the platform FormData encoder, file bytes and all', async () => {
    const fd = new FormData();
    fd.append('requestIds', 'a,b');
    fd.append('image', new Blob([FILE], { type: 'image/jpeg' }), 'selfie "1".jpg');
    const res = new Response(fd);
    const boundary = parseHeaderParams(res.headers.get('content-type') ?? '').params.get('boundary') ?? '';
    const body = Buffer.from(await res.arrayBuffer());
    expect(parse(boundary, body, [100, 101, 2000])).toEqual({
      complete: true,
      fields: [['requestIds', 'a,b']],
      files: [{ name: 'image', filename: 'selfie %221%22.jpg', contentType: 'image/jpeg', size: FILE.length, sha256: sha(FILE) }],
    });
  });

  it('decodes quoted, escaped and RFC 8187 parameters, and UTF-8 names', () => {
    const body = form([
      `--${B}\r\nContent-Disposition: form-data; name="say \\"hi\\""\r\n\r\nx\r\n`,
      `--${B}\r\nContent-Disposition: form-data; name=image; filename*=utf-8''%E1%BA%A3nh.png\r\n\r\nPNG\r\n`,
      `--${B}\r\n\r\nno headers: not form data\r\n`,
    ]);
    const utf8Field = Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="họ tên"\r\n\r\nNguyễn\r\n`, 'utf8');
    const parsed = parse(B, Buffer.concat([utf8Field, body]));
    expect(parsed.fields).toEqual([
      ['họ tên', 'Nguyễn'],
      ['say "hi"', 'x'],
    ]);
    expect(parsed.files).toMatchObject([{ name: 'image', filename: 'ảnh.png', contentType: 'text/plain', size: 3 }]);
  });

  it('keeps at most fieldSize bytes of a field and ignores parts beyond the limits', () => {
    const many = Array.from({ length: 5 }, (_, i) => `--${B}\r\nContent-Disposition: form-data; name="f${i}"; filename="f${i}.png"\r\n\r\n${i}\r\n`);
    const long = `--${B}\r\nContent-Disposition: form-data; name="long"\r\n\r\n${'a'.repeat(5000)}\r\n`;
    const parsed = parse(B, form([long, ...many]), [10, 700, 1500]);
    expect(parsed.fields).toEqual([['long', 'a'.repeat(LIMITS.fieldSize)]]);
    expect(parsed.files.map((f) => f.name)).toEqual(['f0', 'f1', 'f2']);
  });

  it('keeps only the parts that were complete when the form is cut short or malformed', () => {
    const first = `--${B}\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n`;
    const cut = parse(B, Buffer.from(`${first}--${B}\r\nContent-Disposition: form-data; name="image"; filename="x.png"\r\n\r\nhalf a fi`));
    expect(cut).toEqual({ complete: false, fields: [['a', '1']], files: [] });
    const garbage = parse(B, Buffer.from(`${first}--${B}garbage\r\nContent-Disposition: form-data; name="b"\r\n\r\n2\r\n--${B}--`));
    expect(garbage).toEqual({ complete: false, fields: [['a', '1']], files: [] });
    expect(parse(B, Buffer.from('not a form at all'))).toEqual({ complete: false, fields: [], files: [] });
    const endless = parse(B, Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="h"\r\nX: ${'y'.repeat(20_000)}`));
    expect(endless.complete).toBe(false);
  });
});

describe('parseHeaderParams', () => {
  it('reads a Content-Type with a quoted boundary, case-insensitively', () => {
    const { type, params } = parseHeaderParams('Multipart/Form-Data; charset=utf-8; BOUNDARY="a b;c"');
    expect(type).toBe('multipart/form-data');
    expect(params.get('boundary')).toBe('a b;c');
    expect(params.get('charset')).toBe('utf-8');
  });
});
