/**
 * Pre-flight checks: free, local measures of a photo that predict a paid call coming back "not detected" or
 * "review": too few pixels, blur, too dark, burnt out. Taken on a small upright greyscale copy.
 */
import { locateImage, type ImageInput } from './image.js';

export type PreflightCode = 'too-small' | 'blurred' | 'too-dark' | 'overexposed';

export interface PreflightFinding {
  code: PreflightCode;
  /** One line, says what to do. */
  message: string;
  /** The measure, and the limit it crossed. */
  value: number;
  limit: number;
}

export interface PreflightLimits {
  /** Pixels on the short side, once upright. */
  minShortSide: number;
  /**
   * Variance of the Laplacian of the analysis copy over the variance of its pixels: how much of its contrast sits
   * in sharp edges. Divided so that a dark or low-contrast photo is not also called blurred.
   */
  minSharpness: number;
  /** Mean luminance, 0–255. */
  minBrightness: number;
  /** Share of pixels at 250 or above (0–1): text and portrait washed out by glare or overexposure. */
  maxBurnt: number;
}

/** Calibrated on examples/images (README, "Photos from phones and scanners"): the blurry specimen fails, every sharp one passes. */
export const PREFLIGHT_LIMITS: PreflightLimits = { minShortSide: 300, minSharpness: 0.1, minBrightness: 50, maxBurnt: 0.35 };

/** The long side of the copy the measures are taken on: sharpness depends on scale, so the scale is fixed. */
const ANALYSIS_SIDE = 640;

export interface PreflightMeasures {
  shortSide: number;
  sharpness: number;
  brightness: number;
  burnt: number;
}

/** What the checks find wrong with an image; an empty list when nothing is. A file that cannot be read throws as prepareImage does. */
export async function preflightImage(input: ImageInput, limits: PreflightLimits = PREFLIGHT_LIMITS): Promise<PreflightFinding[]> {
  return judge(await measureImage(input), limits);
}

export async function measureImage(input: ImageInput): Promise<PreflightMeasures> {
  const { name, format, source } = await locateImage(input);
  const { greyThumbnail } = await import('./image-transform.js');
  const t = await greyThumbnail(source, format, name, ANALYSIS_SIDE);
  return { shortSide: Math.min(t.sourceWidth, t.sourceHeight), ...measurePixels(t.pixels, t.width, t.height) };
}

/** Mean luminance, burnt share and the sharpness (see PreflightLimits) of 8-bit grey pixels. */
export function measurePixels(p: Uint8Array, width: number, height: number): Omit<PreflightMeasures, 'shortSide'> {
  let sum = 0;
  let squares = 0;
  let burnt = 0;
  for (const v of p) {
    sum += v;
    squares += v * v;
    if (v >= 250) burnt++;
  }
  let n = 0;
  let lapSum = 0;
  let lapSq = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const lap = 4 * p[i]! - p[i - 1]! - p[i + 1]! - p[i - width]! - p[i + width]!;
      lapSum += lap;
      lapSq += lap * lap;
      n++;
    }
  }
  const lapMean = n ? lapSum / n : 0;
  const lapVariance = n ? lapSq / n - lapMean * lapMean : 0;
  const brightness = p.length ? sum / p.length : 0;
  const variance = p.length ? squares / p.length - brightness * brightness : 0;
  // A flat image has no edges to judge: it is not called blurred (too dark or burnt out say what is wrong).
  return { brightness, burnt: p.length ? burnt / p.length : 0, sharpness: variance > 1 ? lapVariance / variance : Infinity };
}

export function judge(m: PreflightMeasures, limits: PreflightLimits): PreflightFinding[] {
  const found: PreflightFinding[] = [];
  const round = (v: number, digits = 0): number => Number(v.toFixed(digits));
  if (m.shortSide < limits.minShortSide) {
    found.push({ code: 'too-small', message: `only ${m.shortSide} px on the short side (at least ${limits.minShortSide}): photograph the document closer or at a higher resolution`, value: m.shortSide, limit: limits.minShortSide });
  }
  if (m.sharpness < limits.minSharpness) {
    found.push({ code: 'blurred', message: `blurred (sharpness ${round(m.sharpness, 2)}, at least ${limits.minSharpness}): hold the camera still and let it focus`, value: round(m.sharpness, 2), limit: limits.minSharpness });
  }
  if (m.brightness < limits.minBrightness) {
    found.push({ code: 'too-dark', message: `too dark (brightness ${round(m.brightness)} of 255, at least ${limits.minBrightness}): photograph it in better light`, value: round(m.brightness), limit: limits.minBrightness });
  }
  if (m.burnt > limits.maxBurnt) {
    found.push({ code: 'overexposed', message: `burnt out (${round(m.burnt * 100)} % of it white, at most ${round(limits.maxBurnt * 100)} %): avoid glare and direct light`, value: round(m.burnt, 3), limit: limits.maxBurnt });
  }
  return found;
}
