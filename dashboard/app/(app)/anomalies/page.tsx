import Link from "next/link";
import { attempt } from "@/app/lib/api";
import { withBand } from "@/app/lib/baseline";
import { formatNumber, formatTime } from "@/app/lib/format";
import { resolveRange } from "@/app/lib/range";
import { fillBuckets } from "@/app/lib/buckets";
import type { Anomaly, Histogram, Source } from "@/app/lib/types";
import { MetricTimeline } from "@/app/ui/charts/charts";
import { RangePicker } from "@/app/ui/range-picker";
import { EmptyState, ErrorState, PageHeader } from "@/app/ui/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { NativeSelect } from "@/components/ui/native-select";

export const metadata = { title: "Anomalies" };

export default async function AnomaliesPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const sp = await searchParams;
  const range = resolveRange({ ...sp, range: sp.range ?? "24h" });
  const sources = await attempt<{ items: Source[] }>("/v1/sources");
  if (!sources.ok) return <ErrorState error={sources.error} what="the sources" />;
  if (sources.data.items.length === 0)
    return (
      <div>
        <PageHeader title="Anomalies" />
        <EmptyState title="No sources yet">Anomalies are found per source; create a source on the Overview and send it logs.</EmptyState>
      </div>
    );
  const sourceId = sp.source_id && sources.data.items.some((s) => s.id === sp.source_id) ? sp.source_id : sources.data.items[0].id;
  const metric = sp.metric === "volume" ? "volume" : "error_rate";
  const q = `source_id=${encodeURIComponent(sourceId)}&since=${range.since}&until=${range.until}`;
  // summed in the API: a day is 360 points of 4 minutes, not 1,440 windows (docs/benchmarks.md)
  const [anomalies, windows] = await Promise.all([
    attempt<{ items: Anomaly[] }>(`/v1/anomalies?${q}&limit=500`),
    attempt<Histogram>(`/v1/windows/histogram?${q}&buckets=360`),
  ]);
  const step = windows.ok ? windows.data.step_seconds * 1000 : 60_000;
  const buckets = windows.ok ? fillBuckets(windows.data.buckets, windows.data.since, windows.data.until, windows.data.step_seconds) : [];
  const series = buckets.map((b) => ({
    t: new Date(b.start).toISOString(),
    value: metric === "volume" ? b.lines / (step / 60_000) : b.lines ? b.errors / b.lines : 0,
  }));
  const origin = windows.ok ? Date.parse(windows.data.since) : 0;
  const flagged = new Set(
    (anomalies.ok ? anomalies.data.items : [])
      .filter((a) => a.metric === metric)
      .map((a) => new Date(origin + Math.floor((Date.parse(a.ts_window) - origin) / step) * step).toISOString()),
  );
  return (
    <div className="grid gap-6">
      <PageHeader title="Anomalies" description={`What the detectors flagged against each source's own baseline, ${range.label}.`} />
      <form className="flex flex-wrap items-end gap-2" action="/anomalies">
        <input type="hidden" name="range" value={range.key === "custom" ? "24h" : range.key} />
        <NativeSelect name="source_id" defaultValue={sourceId} aria-label="Source" className="w-56">
          {sources.data.items.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </NativeSelect>
        <NativeSelect name="metric" defaultValue={metric} aria-label="Metric" className="w-40">
          <option value="error_rate">error rate</option>
          <option value="volume">volume</option>
        </NativeSelect>
        <Button type="submit" variant="outline">
          Show
        </Button>
      </form>
      <RangePicker path="/anomalies" current={range.key} params={{ ...sp, source_id: sourceId, metric }} ranges={["1h", "6h", "24h", "7d"]} />
      <Card>
        <CardHeader>
          <CardTitle>{metric === "volume" ? "Lines per minute" : "Error rate"}</CardTitle>
          <CardDescription>Band: a rolling mean ± 3σ of the previous 30 unflagged windows, for orientation (the detectors judge each source against its own learned level, daily and weekly shape, and sensitivity). Red: flagged windows.</CardDescription>
        </CardHeader>
        <CardContent>
          {!windows.ok ? (
            <ErrorState error={windows.error} what="the windows" />
          ) : series.length === 0 ? (
            <EmptyState title="No windows in this range">Send logs to the source, or pick a longer range.</EmptyState>
          ) : (
            <MetricTimeline points={withBand(series, flagged)} metric={metric} />
          )}
        </CardContent>
      </Card>
      {!anomalies.ok ? (
        <ErrorState error={anomalies.error} what="the anomalies" />
      ) : anomalies.data.items.length === 0 ? (
        <EmptyState title="No anomalies in this range">
          A source needs its first 30 windows as a baseline before anything can stand out. Quiet is good news.
        </EmptyState>
      ) : (
        <div className="grid gap-3">
          {anomalies.data.items.slice(0, 100).map((a) => (
            <Card key={a.id} className="py-4">
              <CardContent className="grid gap-2">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <Badge variant={a.label === "drop" ? "warning" : a.label === "new" ? "info" : "destructive"}>
                    {a.metric} {a.label}
                  </Badge>
                  <span className="font-medium">{formatTime(a.ts_window)}</span>
                  {a.onset && Date.parse(a.onset) < Date.parse(a.ts_window) && (
                    <span className="text-muted-foreground">building since {formatTime(a.onset)}</span>
                  )}
                  <span className="text-muted-foreground">
                    observed {formatNumber(Number(a.observed.toFixed(3)))} vs baseline {formatNumber(Number(a.baseline.toFixed(3)))} · score{" "}
                    {a.score.toFixed(2)}
                    {a.service ? ` · service ${a.service}` : ""}
                  </span>
                  <Link className="ml-auto text-xs underline" href={`/sources/${a.source_id}?from=${a.onset ?? a.ts_window}&to=${a.window_end ?? a.ts_window}${a.template_id ? `&pattern=${a.template_id}` : ""}`}>
                    open in source
                  </Link>
                </div>
                {a.explanation.reason && <p className="text-sm">{a.explanation.reason}</p>}
                {(a.explanation.examples ?? []).length > 0 && (
                  <pre className="overflow-x-auto rounded-md bg-muted p-2 text-xs">{(a.explanation.examples ?? []).slice(0, 5).join("\n")}</pre>
                )}
              </CardContent>
            </Card>
          ))}
        </div>
      )}
    </div>
  );
}
