import { describe, expect, it } from "vitest";
import { formatBytes, formatNumber, formatPercent, formatTime, timeAgo } from "@/app/lib/format";
import { resolveRange } from "@/app/lib/range";
import { fillBuckets, sumIntoBuckets } from "@/app/lib/buckets";
import { withBand } from "@/app/lib/baseline";
import { incidentMetric, marksChart, metricTitle, windowValue } from "@/app/lib/incident";
import type { WindowRow } from "@/app/lib/types";
import { safeReturnTo } from "@/app/lib/paths";
import { hrefFor } from "@/app/lib/search";
import { describeCondition } from "@/app/ui/alerts/describe";

const NOW = Date.parse("2026-11-30T12:00:30Z");

describe("format", () => {
  it("says sizes, counts, ratios and times the way a person reads them", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(50_000_000)).toBe("50.0 MB");
    expect(formatBytes(5_000_000_000)).toBe("5.0 GB");
    expect(formatBytes(50_000_000_000)).toBe("50.0 GB");
    expect(formatNumber(1234)).toBe("1,234");
    expect(formatNumber(123456)).toBe("123.5k");
    expect(formatNumber(null)).toBe("—");
    expect(formatPercent(0.0512)).toBe("5.1%");
    expect(formatTime("2026-11-30T14:05:59Z")).toBe("2026-11-30 14:05 UTC");
    expect(timeAgo("2026-11-30T11:58:00Z", NOW)).toBe("2 min ago");
    expect(timeAgo("2026-11-28T11:00:00Z", NOW)).toBe("2 d ago");
    expect(timeAgo(null, NOW)).toBe("never");
  });
});

describe("ranges in the URL", () => {
  it("reads a named range, defaulting to 24h for anything else", () => {
    const r = resolveRange({ range: "1h" }, NOW);
    expect(r.key).toBe("1h");
    expect(r.until).toBe("2026-11-30T12:01:00.000Z");
    expect(r.since).toBe("2026-11-30T11:01:00.000Z");
    expect(resolveRange({ range: "1y" }, NOW).key).toBe("24h");
  });

  it("opens an alert link's from/to with room around the window", () => {
    const r = resolveRange({ from: "2026-11-30T10:00:00Z", to: "2026-11-30T10:20:00Z" }, NOW);
    expect(r.key).toBe("custom");
    expect(r.since).toBe("2026-11-30T09:55:00.000Z");
    expect(r.until).toBe("2026-11-30T10:25:00.000Z");
    // a nonsensical pair falls back to the default
    expect(resolveRange({ from: "2026-11-30T10:00:00Z", to: "2026-11-30T09:00:00Z" }, NOW).key).toBe("24h");
  });
});

describe("buckets", () => {
  it("fills the buckets the API left out with zeros, in order", () => {
    const levels = { trace: 0, debug: 0, info: 5, warn: 0, error: 1, fatal: 0, unknown: 0 };
    const filled = fillBuckets(
      [{ start: "2026-11-30T10:02:00.000Z", lines: 6, errors: 1, levels }],
      "2026-11-30T10:00:00Z",
      "2026-11-30T10:05:00Z",
      60,
    );
    expect(filled.map((b) => b.lines)).toEqual([0, 0, 6, 0, 0]);
    expect(filled[0].start).toBe("2026-11-30T10:00:00.000Z");
  });

  it("sums a pattern's windows into at most the asked number of buckets", () => {
    const sums = sumIntoBuckets(
      [
        { window_start: "2026-11-30T10:00:00Z", count: 2, error_count: 1 },
        { window_start: "2026-11-30T10:01:00Z", count: 3, error_count: 0 },
        { window_start: "2026-11-30T10:59:00Z", count: 4, error_count: 4 },
        { window_start: "2026-11-30T12:00:00Z", count: 9, error_count: 9 }, // outside
      ],
      "2026-11-30T10:00:00Z",
      "2026-11-30T11:00:00Z",
      60,
      6,
    );
    expect(sums).toHaveLength(6);
    expect(sums[0]).toMatchObject({ lines: 5, errors: 1 });
    expect(sums[5]).toMatchObject({ lines: 4, errors: 4 });
  });
});

describe("baseline band", () => {
  it("is mean ± 3σ of the previous points and marks the flagged ones", () => {
    const series = [1, 2, 1, 2, 1, 2, 50].map((v, i) => ({ t: `t${i}`, value: v }));
    const band = withBand(series, new Set(["t6"]), 30, 3);
    expect(band[3].low).toBeUndefined(); // fewer than 5 points before it
    expect(band[6].low).toBeCloseTo(0, 5);
    expect(band[6].high).toBeCloseTo(1.5 + 3 * 0.5, 5);
    expect(band[6].flagged).toBe(true);
    expect(band[6].value).toBeGreaterThan(band[6].high!);
  });
});

describe("links", () => {
  it("never returns to another origin after sign-in", () => {
    expect(safeReturnTo("/sources/src_1?range=1h")).toBe("/sources/src_1?range=1h");
    expect(safeReturnTo("https://evil.example/")).toBe("/");
    expect(safeReturnTo("//evil.example/")).toBe("/");
    expect(safeReturnTo("/\\evil.example")).toBe("/");
    expect(safeReturnTo("/api/auth/login")).toBe("/");
    expect(safeReturnTo(null)).toBe("/");
  });

  it("opens each kind of search result on its page", () => {
    expect(hrefFor({ kind: "summary", id: "sum 1", source_id: "src_a", title: "", at: null })).toBe("/incidents/sum%201");
    expect(hrefFor({ kind: "pattern", id: "00000000000000a1", source_id: "src_a", title: "", at: null })).toBe(
      "/sources/src_a?range=30d&pattern=00000000000000a1",
    );
  });

  it("describes rules in words", () => {
    expect(describeCondition({ metric: "error_rate", op: ">", threshold: 0.05, window: "5m", sustained: 2 })).toBe(
      "error_rate > 0.05 over 5m, 2 windows in a row",
    );
    expect(describeCondition({ anomaly: { min_score: 0.8, metric: "volume", label: "drop" } })).toBe(
      "anomaly in volume (drop) scored ≥ 0.8",
    );
    expect(describeCondition({ pattern: { new_template: true } })).toBe("a new pattern");
    expect(describeCondition({ absence: { for: "10m" } })).toBe("no lines for 10m");
    expect(describeCondition({ absence: { for: "24h", contains: "backup finished" } })).toBe(
      "no line containing “backup finished” for 24h",
    );
  });
});

describe("incident chart", () => {
  const row = (latency: number | null): WindowRow => ({
    source_id: "src_a",
    window_start: "2026-11-30T12:00:00Z",
    window_end: "2026-11-30T12:01:00Z",
    line_count: 90,
    levels: { error: 9 } as WindowRow["levels"],
    error_rate: 0.1,
    is_final: true,
    latency_count: latency == null ? null : 80,
    latency_p50_ms: latency == null ? null : latency / 2,
    latency_p95_ms: latency,
  });

  it("charts what the top anomaly is about", () => {
    expect(incidentMetric("latency_geomean")).toBe("latency_p95");
    expect(incidentMetric("latency_p95")).toBe("latency_p95");
    expect(incidentMetric("volume")).toBe("volume");
    expect(incidentMetric("new_templates")).toBe("error_rate");
    expect(incidentMetric(undefined)).toBe("error_rate");
    expect(metricTitle("latency_p95")).toBe("Latency p95 of the source (ms)");
  });

  it("reads each window's value, and marks the anomalies of that kind", () => {
    expect(windowValue(row(240), "latency_p95")).toBe(240);
    expect(windowValue(row(null), "latency_p95")).toBeNull();
    expect(windowValue(row(240), "volume")).toBe(90);
    expect(windowValue(row(240), "error_rate")).toBe(0.1);
    expect(marksChart("latency_p95", "latency_geomean")).toBe(true);
    expect(marksChart("latency_p95", "error_rate")).toBe(false);
    expect(marksChart("error_rate", "error_rate")).toBe(true);
  });
});
