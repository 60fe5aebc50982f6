/** The numbers behind the report's charts: face-compare scores in bins, liveness verdicts. The page draws them. */
import type { CompareChart, LivenessChart, ReportRow } from './model.js';

const BIN_WIDTH = 5;

export function compareChart(rows: readonly ReportRow[], threshold?: number): CompareChart | undefined {
  const scored = rows.flatMap((r) => (r.compare ? [r.compare] : []));
  if (scored.length === 0) return undefined;
  const bins = Array.from({ length: 100 / BIN_WIDTH }, (_, i) => ({ from: i * BIN_WIDTH, match: 0, noMatch: 0 }));
  let lowestMatch = Infinity;
  let highestNoMatch = -Infinity;
  for (const c of scored) {
    const score = Math.min(100, Math.max(0, c.score <= 1 ? c.score * 100 : c.score));
    const bin = bins[Math.min(bins.length - 1, Math.floor(score / BIN_WIDTH))]!;
    if (c.match) {
      bin.match++;
      lowestMatch = Math.min(lowestMatch, score);
    } else {
      bin.noMatch++;
      highestNoMatch = Math.max(highestNoMatch, score);
    }
  }
  const chart: CompareChart = { width: BIN_WIDTH, bins };
  if (threshold !== undefined) chart.threshold = threshold;
  // Records do not say which threshold the calls used; the API's own answers bound it when they do not overlap.
  else if (Number.isFinite(lowestMatch) && Number.isFinite(highestNoMatch) && highestNoMatch < lowestMatch) chart.band = { low: highestNoMatch, high: lowestMatch };
  return chart;
}

export function livenessChart(rows: readonly ReportRow[]): LivenessChart | undefined {
  const verdicts = rows.flatMap((r) => (r.liveness ? [r.liveness] : []));
  if (verdicts.length === 0) return undefined;
  return {
    live: verdicts.filter((v) => v.live && !v.review).length,
    liveReview: verdicts.filter((v) => v.live && v.review).length,
    notLive: verdicts.filter((v) => !v.live).length,
  };
}
