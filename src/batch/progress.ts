import { labelsFor, type Labels, type Lang } from '../ui/labels.js';

const REDRAW_MS = 100;
const RATE_WINDOW_MS = 10_000;

export interface ProgressState {
  /** Inputs processed in this run. */
  done: number;
  /** Unknown while inputs are still being listed. */
  total?: number;
  ok: number;
  review: number;
  failed: number;
}

/** One status line, redrawn in place on a terminal: `12/340 · ok 10 · review 1 · failed 1 · 2.3 req/s · ETA 02:23`. */
export class ProgressMeter {
  private readonly now: () => number;
  private readonly words: Labels;
  private lastDraw = -Infinity;
  private drawn = false;
  /** (time, done) at each redraw of the last ~10 s: the rate follows the API's current pace, not the run's average. */
  private samples: { t: number; done: number }[] = [];

  constructor(
    private readonly out: { write(s: string): unknown },
    opts: { now?: () => number; lang?: Lang } = {},
  ) {
    this.now = opts.now ?? (() => Date.now());
    this.words = labelsFor(opts.lang);
  }

  update(state: ProgressState): void {
    const t = this.now();
    // Workers report far more often than a terminal needs; redrawing each time would cost more than the work.
    if (t - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = t;
    this.samples.push({ t, done: state.done });
    while (this.samples.length > 2 && (this.samples[1] as { t: number }).t <= t - RATE_WINDOW_MS) this.samples.shift();
    const first = this.samples[0] as { t: number; done: number };
    const rate = t > first.t ? ((state.done - first.done) * 1000) / (t - first.t) : undefined;
    const left = state.total === undefined ? undefined : state.total - state.done;
    const eta = rate && left !== undefined ? clock(left / rate) : '--:--';
    const { progress: w, perSecond } = this.words;
    const line = [
      `${state.done}/${state.total ?? '?'}`,
      `${w.ok} ${state.ok}`,
      `${w.review} ${state.review}`,
      `${w.failed} ${state.failed}`,
      `${rate === undefined ? '–' : rate.toFixed(1)} ${perSecond}`,
      `${w.eta} ${eta}`,
    ].join(' · ');
    // \x1b[K clears what a longer previous line left behind.
    this.out.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the line, so what is printed next starts clean. */
  finish(): void {
    if (this.drawn) this.out.write('\r\x1b[K');
    this.drawn = false;
  }
}

function clock(seconds: number): string {
  const s = Math.round(seconds);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const mmss = `${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mmss}` : mmss;
}
