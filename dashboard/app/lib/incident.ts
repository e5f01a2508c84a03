import type { WindowRow } from "@/app/lib/types";

/** The window series an incident's chart shows, after its top anomaly. */
export type IncidentMetric = "volume" | "error_rate" | "latency_p95";

/**
 * The series for an incident whose top anomaly has metric `top` (an anomaly's `metric`): a volume
 * anomaly's lines per minute, a latency anomaly's (source p95 or a service's typical latency) p95 in
 * milliseconds, else the error rate.
 */
export function incidentMetric(top?: string): IncidentMetric {
  if (top === "volume") return "volume";
  if (top?.startsWith("latency")) return "latency_p95";
  return "error_rate";
}

/** Whether an anomaly of metric `anomaly` is marked on the chart of `metric`. */
export function marksChart(metric: IncidentMetric, anomaly: string): boolean {
  return metric === "latency_p95" ? anomaly.startsWith("latency") : anomaly === metric;
}

/** A window's value on the chart of `metric`; null when it has none (a window without durations). */
export function windowValue(w: WindowRow, metric: IncidentMetric): number | null {
  if (metric === "volume") return w.line_count;
  if (metric === "latency_p95") return w.latency_p95_ms ?? null;
  return w.error_rate;
}

/** The chart's title. */
export function metricTitle(metric: IncidentMetric): string {
  return metric === "volume" ? "Lines per minute" : metric === "latency_p95" ? "Latency p95 of the source (ms)" : "Error rate";
}
