import Link from "next/link";
import { attempt, getMe, may } from "@/app/lib/api";
import { fillBuckets, sumIntoBuckets } from "@/app/lib/buckets";
import { config } from "@/app/lib/config";
import { formatNumber, formatTime, timeAgo } from "@/app/lib/format";
import { bucketsFor, resolveRange } from "@/app/lib/range";
import type { Anomaly, AnomalySettings, Histogram, Pattern, SourceOverview } from "@/app/lib/types";
import { VolumeHistogram } from "@/app/ui/charts/charts";
import { RangePicker } from "@/app/ui/range-picker";
import { PatternsTable, selectPatterns } from "@/app/ui/sources/patterns-table";
import { SendLines } from "@/app/ui/sources/send-lines";
import { SensitivityPicker } from "@/app/ui/sources/sensitivity";
import { EmptyState, ErrorState, PageHeader } from "@/app/ui/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";

type SourceDetail = {
  id: string;
  name: string;
  env: string;
  parser_hint: string | null;
  created_at: string;
  line_count: number;
  late_lines: number;
  first_window_start: string | null;
  last_line_at: string | null;
};

export default async function SourcePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const { id } = await params;
  const sp = await searchParams;
  const range = resolveRange(sp);
  const me = await getMe();
  const source = await attempt<SourceDetail>(`/v1/sources/${encodeURIComponent(id)}`);
  if (!source.ok) return <ErrorState error={source.error} what="this source" />;
  const s = source.data;
  const q = `source_id=${encodeURIComponent(id)}&since=${range.since}&until=${range.until}`;
  const [histogram, patterns, sensitivity] = await Promise.all([
    attempt<Histogram>(`/v1/windows/histogram?${q}&buckets=${bucketsFor(range.key)}`),
    attempt<{ items: Pattern[] }>(`/v1/patterns/trends?${q}&limit=500&buckets=40`),
    attempt<AnomalySettings>("/v1/anomaly-settings"),
  ]);
  const link = (over: Record<string, string | undefined>) => {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...sp, ...over })) if (v) u.set(k, v);
    return `/sources/${id}?${u}`;
  };
  const listed = sp.pattern && patterns.ok ? patterns.data.items.find((p) => p.template_id === sp.pattern) : undefined;
  const selected = listed
    ? await attempt<{ items: Pattern[] }>(`/v1/patterns/trends?${q}&limit=500&buckets=120`).then((r) =>
        r.ok ? (r.data.items.find((p) => p.template_id === listed.template_id) ?? listed) : listed,
      )
    : undefined;
  const examples = selected
    ? await attempt<{ items: Anomaly[] }>(`/v1/anomalies?${q}&limit=200`).then((r) =>
        r.ok ? r.data.items.filter((a) => a.template_id === selected.template_id) : [],
      )
    : [];
  const c = config();
  return (
    <div className="grid gap-6">
      <PageHeader
        title={s.name}
        description={
          <>
            {s.env} · format: <span data-testid="source-format">{s.parser_hint ? s.parser_hint : "detected automatically from its lines"}</span> ·{" "}
            {formatNumber(s.line_count)} lines · last line {timeAgo(s.last_line_at)}
            {s.late_lines > 0 && ` · ${formatNumber(s.late_lines)} lines too late to count`}
          </>
        }
      >
        <Button asChild variant="outline" size="sm">
          <Link href={`/incidents?source_id=${id}`}>Incidents</Link>
        </Button>
        <Button asChild variant="outline" size="sm">
          <Link href={`/anomalies?source_id=${id}`}>Anomalies</Link>
        </Button>
      </PageHeader>
      <div className="flex flex-wrap items-center gap-3">
        <RangePicker path={`/sources/${id}`} current={range.key} params={sp} />
        {range.key === "custom" && <Badge variant="outline">{range.label}</Badge>}
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Volume by level</CardTitle>
          <CardDescription>{range.label}</CardDescription>
        </CardHeader>
        <CardContent>
          {!histogram.ok ? (
            <ErrorState error={histogram.error} what="the volume" />
          ) : histogram.data.buckets.length === 0 ? (
            <EmptyState title="No lines in this range">Pick a longer range, or send logs with the command below.</EmptyState>
          ) : (
            <VolumeHistogram
              buckets={fillBuckets(histogram.data.buckets, histogram.data.since, histogram.data.until, histogram.data.step_seconds)}
              stepSeconds={histogram.data.step_seconds}
            />
          )}
        </CardContent>
      </Card>

      {selected && (
        <Card data-testid="pattern-detail">
          <CardHeader>
            <CardTitle className="font-mono text-sm break-all">{selected.template}</CardTitle>
            <CardDescription>
              {formatNumber(selected.count)} lines in range, {formatNumber(selected.total_count)} in all · first seen{" "}
              {formatTime(selected.first_seen)} · <Link href={link({ pattern: undefined })} className="underline">close</Link>
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            <VolumeHistogram
              stepSeconds={(Date.parse(range.until) - Date.parse(range.since)) / 1000 / 120}
              buckets={sumIntoBuckets(selected.windows ?? [], range.since, range.until, 60, 120).map((b) => ({
                ...b,
                levels: { trace: 0, debug: 0, info: b.lines - b.errors, warn: 0, error: b.errors, fatal: 0, unknown: 0 },
              }))}
            />
            <div>
              <h3 className="mb-2 text-sm font-medium">Example lines</h3>
              {examples.flatMap((a) => a.explanation.examples ?? []).length === 0 ? (
                <p className="text-sm text-muted-foreground">
                  LogAi keeps example lines with the anomalies that name a pattern; none in this range. The raw lines are
                  archived in the object store.
                </p>
              ) : (
                <pre className="overflow-x-auto rounded-md bg-muted p-3 text-xs">
                  {examples.flatMap((a) => a.explanation.examples ?? []).slice(0, 10).join("\n")}
                </pre>
              )}
            </div>
          </CardContent>
        </Card>
      )}

      <Card>
        <CardHeader>
          <CardTitle>Patterns</CardTitle>
          <CardDescription>Lines grouped by their template; “new” marks one first seen after the source’s warm-up.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <form className="flex flex-wrap gap-2" action={`/sources/${id}`}>
            {range.key !== "custom" && <input type="hidden" name="range" value={range.key} />}
            {sp.from && <input type="hidden" name="from" value={sp.from} />}
            {sp.to && <input type="hidden" name="to" value={sp.to} />}
            <Input name="q" defaultValue={sp.q} placeholder="Filter by text" aria-label="Filter patterns by text" className="w-64" />
            <NativeSelect name="level" defaultValue={sp.level ?? ""} aria-label="Filter patterns by level" className="w-44">
              <option value="">all levels</option>
              <option value="error">with errors</option>
              <option value="new">new only</option>
            </NativeSelect>
            <Button type="submit" variant="outline">
              Filter
            </Button>
          </form>
          {!patterns.ok ? (
            <ErrorState error={patterns.error} what="the patterns" />
          ) : patterns.data.items.length === 0 ? (
            <EmptyState title="No patterns in this range">Patterns appear once lines arrive; send some below.</EmptyState>
          ) : (
            <PatternsTable
              patterns={selectPatterns(patterns.data.items, sp)}
              hrefFor={(p) => link({ pattern: p.template_id })}
              range={{ since: range.since, until: range.until }}
              sortHref={(sort) => link({ sort })}
            />
          )}
        </CardContent>
      </Card>

      {sensitivity.ok && (
        <Card>
          <CardHeader>
            <CardTitle>Detection</CardTitle>
            <CardDescription>
              Each source learns its own usual volume (with its daily and weekly shape), error rate and latency; the
              sensitivity sets how far from usual a window must be to count as an anomaly.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <SensitivityPicker
              sourceId={id}
              current={sensitivity.data.sources.find((x) => x.source_id === id)?.sensitivity ?? null}
              orgLevel={sensitivity.data.sensitivity}
              editable={may(me, "alerts")}
            />
          </CardContent>
        </Card>
      )}

      <Card>
        <CardHeader>
          <CardTitle>Send logs to this source</CardTitle>
          <CardDescription>
            With an API key that has the ingest scope ({may(me, "keys") ? <Link href="/settings/keys" className="underline">create one</Link> : "an admin creates one"}):
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <pre className="overflow-x-auto rounded-md bg-muted p-3 text-xs" data-testid="curl-snippet">{`printf '%s\\n' "$(date -u +%FT%TZ) ERROR payment failed" |
  curl -sS ${c.gatewayUrl}/v1/logs/stream \\
    -H "Authorization: Bearer $LOGAI_API_KEY" -H "X-Source-Id: ${id}" \\
    -H 'Content-Type: text/plain' --data-binary @-`}</pre>
          {may(me, "ingest") && <SendLines sourceId={id} />}
        </CardContent>
      </Card>
    </div>
  );
}
