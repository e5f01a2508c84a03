import type { Levels, VolumeBucket } from "./types";

const ZERO: Levels = { trace: 0, debug: 0, info: 0, warn: 0, error: 0, fatal: 0, unknown: 0 };

/**
 * Every bucket of [since, until) in steps of `stepSeconds`, the API's buckets in their place and
 * empty ones as zeros: the API leaves out buckets without lines, a chart must not join across them.
 */
export function fillBuckets(buckets: VolumeBucket[], since: string, until: string, stepSeconds: number): VolumeBucket[] {
  const step = stepSeconds * 1000;
  const start = Date.parse(since);
  const end = Date.parse(until);
  if (!(step > 0) || Number.isNaN(start) || Number.isNaN(end) || (end - start) / step > 5000) return buckets;
  const byStart = new Map(buckets.map((b) => [Date.parse(b.start), b]));
  const out: VolumeBucket[] = [];
  for (let t = start; t < end; t += step) {
    out.push(byStart.get(t) ?? { start: new Date(t).toISOString(), lines: 0, errors: 0, levels: { ...ZERO } });
  }
  return out;
}

/** Sums per-window counts (a pattern's windows) into the same buckets, zeros included. */
export function sumIntoBuckets(
  windows: { window_start: string; count: number; error_count: number }[],
  since: string,
  until: string,
  stepSeconds: number,
  max = 60,
): { start: string; lines: number; errors: number }[] {
  const start = Date.parse(since);
  const end = Date.parse(until);
  const step = Math.max(stepSeconds * 1000, Math.ceil((end - start) / max / 60_000) * 60_000);
  const n = Math.max(1, Math.ceil((end - start) / step));
  const out = Array.from({ length: n }, (_, i) => ({ start: new Date(start + i * step).toISOString(), lines: 0, errors: 0 }));
  for (const w of windows) {
    const i = Math.floor((Date.parse(w.window_start) - start) / step);
    if (i >= 0 && i < n) {
      out[i].lines += w.count;
      out[i].errors += w.error_count;
    }
  }
  return out;
}
