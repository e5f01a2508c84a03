import Link from "next/link";
import { attempt } from "@/app/lib/api";
import { withBand } from "@/app/lib/baseline";
import { incidentMetric, marksChart, metricTitle, windowValue } from "@/app/lib/incident";
import { formatNumber, formatTime, formatUsd } from "@/app/lib/format";
import type { AlertEvent, Anomaly, Pattern, Source, Summary, WindowRow } from "@/app/lib/types";
import { AlertEventsTable } from "@/app/ui/alerts/alert-events";
import { MetricTimeline } from "@/app/ui/charts/charts";
import { SeverityBadge } from "@/app/ui/severity";
import { EmptyState, ErrorState } from "@/app/ui/states";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

const MINUTE = 60_000;

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const summary = await attempt<Summary>(`/v1/summaries/${encodeURIComponent(id)}`);
  if (!summary.ok) return <ErrorState error={summary.error} what="this incident" />;
  const s = summary.data;
  const start = Date.parse(s.window_start);
  const end = Date.parse(s.window_end) + MINUTE;
  const since = new Date(start - 120 * MINUTE).toISOString();
  const until = new Date(end + 30 * MINUTE).toISOString();
  const src = `source_id=${encodeURIComponent(s.source_id)}`;
  const [source, windows, anomalies, patterns, alerts] = await Promise.all([
    attempt<Source>(`/v1/sources/${encodeURIComponent(s.source_id)}`),
    attempt<{ items: WindowRow[] }>(`/v1/windows?${src}&since=${since}&until=${until}&limit=1000`),
    attempt<{ items: Anomaly[] }>(`/v1/anomalies?${src}&since=${since}&until=${until}&limit=500`),
    attempt<{ items: Pattern[] }>(`/v1/patterns?${src}&since=${s.window_start}&until=${new Date(end).toISOString()}&limit=10`),
    attempt<{ items: AlertEvent[] }>(`/v1/alerts?${src}&since=${new Date(start - 10 * MINUTE).toISOString()}&until=${until}&limit=50`),
  ]);
  const inIncident = (anomalies.ok ? anomalies.data.items : []).filter((a) => {
    const t = Date.parse(a.ts_window);
    return t >= start && t < end;
  });
  const top = [...inIncident].sort((a, b) => b.score - a.score)[0];
  const metric = incidentMetric(top?.metric);
  const series = (windows.ok ? windows.data.items : [])
    .slice()
    .sort((a, b) => a.window_start.localeCompare(b.window_start))
    .flatMap((w) => {
      const value = windowValue(w, metric);
      return value == null ? [] : [{ t: new Date(w.window_start).toISOString(), value }];
    });
  const flagged = new Set(
    (anomalies.ok ? anomalies.data.items : []).filter((a) => marksChart(metric, a.metric)).map((a) => new Date(a.ts_window).toISOString()),
  );
  const points = withBand(series, flagged);
  return (
    <div className="grid gap-6">
      <div>
        <div className="mb-2 flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
          <Link href="/incidents" className="underline">
            Incidents
          </Link>
          <span aria-hidden>/</span>
          {source.ok ? (
            <Link href={`/sources/${s.source_id}?from=${s.window_start}&to=${s.window_end}`} className="underline">
              {source.data.name}
            </Link>
          ) : (
            s.source_id
          )}
        </div>
        <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight">
          <SeverityBadge severity={s.severity} /> {s.title}
        </h1>
        <p className="mt-1 text-sm text-muted-foreground">
          {formatTime(s.window_start)} – {formatTime(new Date(end).toISOString())} · {s.windows} windows · trigger {s.trigger} ·{" "}
          {s.llm_model === "extractive" ? "extractive summary (no LLM)" : `written by ${s.llm_model}`} · {formatUsd(Number(s.cost_usd))}
          {s.partial && s.fallback_reason ? ` · ${s.fallback_reason}` : ""}
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>What happened</CardTitle>
          </CardHeader>
          <CardContent>
            <ul className="list-disc space-y-1 pl-5 text-sm">
              {s.bullets.map((b, i) => (
                <li key={i}>{b}</li>
              ))}
            </ul>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Next steps</CardTitle>
          </CardHeader>
          <CardContent>
            {s.next_steps.length === 0 ? (
              <p className="text-sm text-muted-foreground">No next steps were suggested.</p>
            ) : (
              <ol className="list-decimal space-y-1 pl-5 text-sm">
                {s.next_steps.map((b, i) => (
                  <li key={i}>{b}</li>
                ))}
              </ol>
            )}
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>{metricTitle(metric)} around the incident</CardTitle>
          <CardDescription>
            Red points are windows the detectors flagged; the green band is a rolling mean ± 3σ of the previous 30 unflagged windows, for orientation (the detectors judge against each source's own learned level, daily and weekly shape, and sensitivity); the shaded area is the incident.
            {top && ` Top anomaly: ${top.metric} ${top.label}, observed ${formatNumber(top.observed)} vs baseline ${formatNumber(Number(top.baseline.toFixed(3)))}.`}
          </CardDescription>
        </CardHeader>
        <CardContent>
          {points.length === 0 ? (
            <EmptyState title={metric === "latency_p95" ? "No window around this incident carried durations" : "No windows stored around this incident"} />
          ) : (
            <MetricTimeline points={points} metric={metric} highlight={{ from: new Date(start).toISOString(), to: new Date(end).toISOString() }} />
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Evidence</CardTitle>
        </CardHeader>
        <CardContent>
          {s.evidence.length === 0 ? (
            <p className="text-sm text-muted-foreground">No evidence lines were kept.</p>
          ) : (
            <pre className="overflow-x-auto rounded-md bg-muted p-3 text-xs whitespace-pre-wrap">{s.evidence.join("\n")}</pre>
          )}
        </CardContent>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Patterns involved</CardTitle>
          </CardHeader>
          <CardContent>
            {!patterns.ok ? (
              <ErrorState error={patterns.error} what="the patterns" />
            ) : patterns.data.items.length === 0 ? (
              <p className="text-sm text-muted-foreground">No patterns in the incident’s windows.</p>
            ) : (
              <ul className="grid gap-2 text-sm">
                {patterns.data.items.map((p) => (
                  <li key={p.template_id} className="flex items-start justify-between gap-3">
                    <Link
                      href={`/sources/${s.source_id}?from=${s.window_start}&to=${s.window_end}&pattern=${p.template_id}`}
                      className="font-mono text-xs break-all underline-offset-4 hover:underline"
                    >
                      {p.template}
                    </Link>
                    <span className="flex shrink-0 items-center gap-1 tabular-nums">
                      {p.is_new && <Badge variant="info">new</Badge>} {formatNumber(p.count)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Alerts raised</CardTitle>
          </CardHeader>
          <CardContent>
            {!alerts.ok ? (
              <ErrorState error={alerts.error} what="the alerts" />
            ) : alerts.data.items.length === 0 ? (
              <p className="text-sm text-muted-foreground">No alert rule fired for this incident.</p>
            ) : (
              <AlertEventsTable events={alerts.data.items} />
            )}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
