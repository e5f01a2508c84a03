import type { TimelinePoint } from "@/app/ui/charts/charts";

/**
 * The expected band of a metric: mean ± k·σ of the previous `span` unflagged points (at least 5), as a
 * rolling baseline reads it; a point outside it, or named by an anomaly, is flagged.
 */
export function withBand(
  series: { t: string; value: number }[],
  flagged: Set<string>,
  span = 30,
  k = 3,
): TimelinePoint[] {
  return series.map((p, i) => {
    // flagged points stay out of the baseline, as the detectors keep anomalies out of theirs
    const prev = series
      .slice(0, i)
      .filter((x) => !flagged.has(x.t))
      .slice(-span)
      .map((x) => x.value);
    if (prev.length < 5) return { ...p, flagged: flagged.has(p.t) };
    const mean = prev.reduce((a, b) => a + b, 0) / prev.length;
    const sd = Math.sqrt(prev.reduce((a, b) => a + (b - mean) ** 2, 0) / prev.length);
    return { ...p, low: Math.max(0, mean - k * sd), high: mean + k * sd, flagged: flagged.has(p.t) };
  });
}
