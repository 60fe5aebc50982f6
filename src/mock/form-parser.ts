/**
 * A push parser for multipart/form-data (RFC 7578), fed the request body chunk by chunk. Delimiters are found
 * with Buffer#indexOf, which runs natively: the simulator then spends a few microseconds per upload on framing
 * instead of the ~0.1 ms a JavaScript search costs per 300 KB (see `npm run bench`, row 2b).
 * File contents are handed on as they arrive and never gathered; field values are kept, up to a limit.
 */

export interface FormLimits {
  /** Bytes kept of one field value; the rest is dropped. */
  fieldSize: number;
  fields: number;
  files: number;
  parts: number;
  headerPairs: number;
}

export interface PartHeaders {
  name: string;
  /** Present for a file part, even if empty: that is what tells a file from a field. */
  filename: string | undefined;
  contentType: string;
}

export interface FileSink {
  update(chunk: Buffer): void;
  /** Called once the part's closing delimiter has been seen; a part cut short never gets here. */
  end(): void;
}

export interface FormHandlers {
  field(name: string, value: string): void;
  file(part: PartHeaders): FileSink;
}

/** A part's header block larger than this is not a form a client meant to send. */
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const EMPTY = Buffer.alloc(0);
const HEADER_END = Buffer.from('\r\n\r\n');

type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done' | 'broken';

interface OpenPart {
  kind: 'field' | 'file' | 'skip';
  name: string;
  sink?: FileSink;
  chunks?: Buffer[];
  kept?: number;
}

export class FormParser {
  private readonly dashBoundary: Buffer;
  /** CRLF + dash-boundary: what ends a part's body. */
  private readonly delimiter: Buffer;
  private state: State = 'preamble';
  /** Bytes not yet parsed: at most a delimiter's length, or a header block that is still arriving. */
  private pending: Buffer = EMPTY;
  private part: OpenPart | undefined;
  private counts = { parts: 0, fields: 0, files: 0 };
  /** Where the last step() stopped in the data it was given, for want of more. */
  private consumed = 0;

  constructor(
    boundary: string,
    private readonly limits: FormLimits,
    private readonly handlers: FormHandlers,
  ) {
    this.dashBoundary = Buffer.from(`--${boundary}`, 'latin1');
    this.delimiter = Buffer.concat([CRLF, this.dashBoundary]);
  }

  write(chunk: Buffer): void {
    if (this.finished) return;
    let data = chunk;
    let pos: number | undefined = 0;
    if (this.pending.length > 0 && this.state === 'body' && chunk.length >= this.delimiter.length) pos = this.bridge(chunk);
    else if (this.pending.length > 0) data = Buffer.concat([this.pending, chunk]);
    while (pos !== undefined) pos = this.step(data, pos);
    // Copied: what is kept back is small, and must not pin the socket's 64 KB read buffer.
    this.pending = this.finished || this.consumed >= data.length ? EMPTY : Buffer.from(data.subarray(this.consumed));
  }

  /**
   * In a file's body, the few bytes kept back from the last chunk are joined to the start of this one only, not
   * to all of it: copying every 64 KB chunk to look for a delimiter that rarely spans two chunks cost more than the
   * search. Returns where to go on in `chunk`.
   */
  private bridge(chunk: Buffer): number {
    const kept = this.pending;
    this.pending = EMPTY;
    // Every delimiter that starts in `kept` ends within these bytes.
    const joint = Buffer.concat([kept, chunk.subarray(0, this.delimiter.length - 1)]);
    const at = joint.indexOf(this.delimiter);
    if (at === -1 || at >= kept.length) {
      this.take(kept);
      return 0;
    }
    if (at > 0) this.take(kept.subarray(0, at));
    this.close();
    this.state = 'after-delimiter';
    return at + this.delimiter.length - kept.length;
  }

  private get finished(): boolean {
    return this.state === 'done' || this.state === 'broken';
  }

  /** True when the form was complete: its closing delimiter arrived and nothing was malformed. */
  end(): boolean {
    if (this.state !== 'done') {
      this.state = 'broken';
      this.part = undefined;
    }
    return this.state === 'done';
  }

  /** Parses from `pos`; returns where to go on, or undefined when it needs more data (setting `consumed`). */
  private step(data: Buffer, pos: number): number | undefined {
    switch (this.state) {
      case 'preamble': {
        // The first dash-boundary may open the body, or follow a preamble and its CRLF.
        const at = data.indexOf(this.dashBoundary, pos);
        if (at === -1) return this.wait(Math.max(pos, data.length - this.dashBoundary.length + 1));
        this.state = 'after-delimiter';
        return at + this.dashBoundary.length;
      }
      case 'after-delimiter': {
        // `--` closes the form; otherwise optional linear white space, then CRLF, then the next part's headers.
        let at = pos;
        if (data.length - at < 2) return this.wait(pos);
        if (data[at] === 0x2d && data[at + 1] === 0x2d) {
          this.state = 'done';
          return this.wait(data.length);
        }
        while (at < data.length && (data[at] === 0x20 || data[at] === 0x09)) at++;
        if (data.length - at < 2) return this.wait(pos);
        if (data[at] !== 0x0d || data[at + 1] !== 0x0a) return this.fail();
        this.state = 'headers';
        return at + 2;
      }
      case 'headers': {
        // A part with no header lines at all starts straight after the delimiter line's CRLF.
        const end = data[pos] === 0x0d && data[pos + 1] === 0x0a ? pos - 2 : data.indexOf(HEADER_END, pos);
        if (end === -1 && data.length - pos < 2) return this.wait(pos);
        if (end === -1) return data.length - pos > MAX_HEADER_BYTES ? this.fail() : this.wait(pos);
        this.open(end < pos ? '' : data.toString('utf8', pos, end));
        this.state = 'body';
        return end + HEADER_END.length;
      }
      case 'body': {
        const at = data.indexOf(this.delimiter, pos);
        if (at === -1) {
          // A delimiter may be starting in the last bytes: keep them back until the next chunk says.
          const safe = Math.max(pos, data.length - this.delimiter.length + 1);
          if (safe > pos) this.take(data.subarray(pos, safe));
          return this.wait(safe);
        }
        if (at > pos) this.take(data.subarray(pos, at));
        this.close();
        this.state = 'after-delimiter';
        return at + this.delimiter.length;
      }
      case 'done':
      case 'broken':
        return this.wait(data.length);
    }
  }

  private wait(at: number): undefined {
    this.consumed = at;
    return undefined;
  }

  private fail(): undefined {
    this.state = 'broken';
    this.part = undefined;
    return undefined;
  }

  private open(headerBlock: string): void {
    const part = parsePartHeaders(headerBlock, this.limits.headerPairs);
    this.counts.parts++;
    if (part === undefined || this.counts.parts > this.limits.parts) {
      this.part = { kind: 'skip', name: '' };
    } else if (part.filename !== undefined) {
      this.part = ++this.counts.files > this.limits.files ? { kind: 'skip', name: '' } : { kind: 'file', name: part.name, sink: this.handlers.file(part) };
    } else {
      this.part = ++this.counts.fields > this.limits.fields ? { kind: 'skip', name: '' } : { kind: 'field', name: part.name, chunks: [], kept: 0 };
    }
  }

  private take(bytes: Buffer): void {
    const part = this.part;
    if (part?.kind === 'file') part.sink!.update(bytes);
    else if (part?.kind === 'field' && part.kept! < this.limits.fieldSize) {
      const room = bytes.subarray(0, this.limits.fieldSize - part.kept!);
      // Copied: the chunk it lies in belongs to the socket's read buffer.
      part.chunks!.push(Buffer.from(room));
      part.kept! += room.length;
    }
  }

  private close(): void {
    const part = this.part;
    this.part = undefined;
    if (part?.kind === 'file') part.sink!.end();
    else if (part?.kind === 'field') this.handlers.field(part.name, Buffer.concat(part.chunks!).toString('utf8'));
  }
}

/** Content-Disposition `form-data` with its name and filename; undefined for a part that is not form data. */
function parsePartHeaders(block: string, maxPairs: number): PartHeaders | undefined {
  let disposition: string | undefined;
  let contentType = 'text/plain';
  const lines = block === '' ? [] : block.split('\r\n');
  for (const line of lines.slice(0, maxPairs)) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    else if (name === 'content-type') contentType = (value.split(';')[0] ?? '').trim().toLowerCase() || contentType;
  }
  if (disposition === undefined) return undefined;
  const { type, params } = parseHeaderParams(disposition);
  if (type !== 'form-data') return undefined;
  const filename = params.get('filename*') ?? params.get('filename');
  // Only the file's own name: a client's folders are none of the server's business (and a path is no name).
  return { name: params.get('name') ?? '', filename: filename === undefined ? undefined : filename.replace(/^.*[/\\]/, ''), contentType };
}

const PARAM = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;

/** `type; key=value; key="quoted \"value\""; key*=utf-8''percent%20encoded`, keys lower-cased. */
export function parseHeaderParams(value: string): { type: string; params: Map<string, string> } {
  const semi = value.indexOf(';');
  const type = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  const params = new Map<string, string>();
  for (const m of (semi === -1 ? '' : value.slice(semi)).matchAll(PARAM)) {
    const key = m[1]!.toLowerCase();
    const raw = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!.trim();
    params.set(key, key.endsWith('*') ? decodeExtended(raw) : raw);
  }
  return { type, params };
}

/** RFC 8187 `charset'language'pct-encoded`; utf-8 and latin1 are the charsets a client may use. */
function decodeExtended(raw: string): string {
  const m = /^([^']*)'[^']*'(.*)$/.exec(raw);
  if (!m) return raw;
  const bytes = Buffer.from(m[2]!.replace(/%([0-9a-fA-F]{2})|[^%]/g, (s, hex: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : s)), 'latin1');
  return bytes.toString(/^(iso-8859-1|latin1)$/i.test(m[1]!) ? 'latin1' : 'utf8');
}
