"use client";

import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceArea,
  ReferenceDot,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { shortTime } from "@/app/lib/format";
import type { VolumeBucket } from "@/app/lib/types";

/** Level colours, severity order (stacked bottom to top: the errors sit on top where the eye goes). */
export const LEVEL_COLORS: Record<string, string> = {
  trace: "#cbd5e1",
  debug: "#94a3b8",
  info: "#60a5fa",
  unknown: "#a8a29e",
  warn: "#f59e0b",
  error: "#ef4444",
  fatal: "#7f1d1d",
};
const STACK = ["trace", "debug", "info", "unknown", "warn", "error", "fatal"];

/** A tiny volume line for tables; errors drawn in red under it. */
export function Sparkline({ points, label }: { points: { lines: number; errors: number }[]; label: string }) {
  if (points.length === 0) return <span className="text-xs text-muted-foreground">no lines</span>;
  return (
    <div role="img" aria-label={label} className="h-8 w-32">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={points} margin={{ top: 2, right: 0, bottom: 2, left: 0 }}>
          <Area type="monotone" dataKey="lines" stroke="#3b82f6" fill="#bfdbfe" strokeWidth={1.5} isAnimationActive={false} />
          <Area type="monotone" dataKey="errors" stroke="#ef4444" fill="#fecaca" strokeWidth={1} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Lines per bucket stacked by level. */
export function VolumeHistogram({ buckets, stepSeconds }: { buckets: VolumeBucket[]; stepSeconds: number }) {
  const data = buckets.map((b) => ({ t: shortTime(b.start, stepSeconds), ...b.levels }));
  const present = STACK.filter((l) => buckets.some((b) => (b.levels as Record<string, number>)[l] > 0));
  return (
    <div role="img" aria-label="Lines per interval, stacked by level" className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="t" tick={{ fontSize: 11 }} minTickGap={24} />
          <YAxis tick={{ fontSize: 11 }} width={48} allowDecimals={false} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {present.map((level) => (
            <Bar key={level} dataKey={level} stackId="levels" fill={LEVEL_COLORS[level]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export type TimelinePoint = { t: string; value: number; low?: number; high?: number; flagged?: boolean };

/**
 * A metric over time with its expected band (baseline ± spread) and the flagged points marked;
 * the anomaly's own window highlighted when given.
 */
export function MetricTimeline({
  points,
  metric,
  highlight,
  threshold,
}: {
  points: TimelinePoint[];
  metric: string;
  highlight?: { from: string; to: string };
  threshold?: number;
}) {
  const data = points.map((p) => ({
    ...p,
    label: shortTime(p.t, 60),
    band: p.low != null && p.high != null ? [p.low, p.high] : undefined,
    mark: p.flagged ? p.value : undefined,
  }));
  const from = highlight ? data.find((d) => d.t >= highlight.from)?.label : undefined;
  const to = highlight ? [...data].reverse().find((d) => d.t <= highlight.to)?.label : undefined;
  return (
    <div role="img" aria-label={`${metric} over time with the expected band and anomalies marked`} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={24} />
          <YAxis tick={{ fontSize: 11 }} width={52} />
          <Tooltip />
          {from && to && <ReferenceArea x1={from} x2={to} fill="#fee2e2" fillOpacity={0.6} />}
          <Area dataKey="band" stroke="none" fill="#d1fae5" fillOpacity={0.8} name="expected" isAnimationActive={false} />
          <Line dataKey="value" stroke="#2563eb" dot={false} strokeWidth={1.5} name={metric} isAnimationActive={false} />
          <Scatter dataKey="mark" fill="#dc2626" name="anomaly" isAnimationActive={false} />
          {threshold != null && <ReferenceLine y={threshold} stroke="#dc2626" strokeDasharray="4 4" />}
          {data
            .filter((d) => d.mark != null)
            .slice(0, 50)
            .map((d) => (
              <ReferenceDot key={d.t} x={d.label} y={d.mark} r={4} fill="#dc2626" stroke="none" />
            ))}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
