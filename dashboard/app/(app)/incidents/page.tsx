import Link from "next/link";
import { attempt } from "@/app/lib/api";
import { formatTime, formatUsd } from "@/app/lib/format";
import { resolveRange } from "@/app/lib/range";
import type { Source, Summary } from "@/app/lib/types";
import { RangePicker } from "@/app/ui/range-picker";
import { SeverityBadge } from "@/app/ui/severity";
import { EmptyState, ErrorState, PageHeader } from "@/app/ui/states";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata = { title: "Incidents" };

export default async function IncidentsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const sp = await searchParams;
  const range = resolveRange({ ...sp, range: sp.range ?? "7d" });
  const source = sp.source_id ? `&source_id=${encodeURIComponent(sp.source_id)}` : "";
  const [summaries, sources] = await Promise.all([
    attempt<{ items: Summary[] }>(`/v1/summaries?since=${range.since}&until=${range.until}&limit=200${source}`),
    attempt<{ items: Source[] }>("/v1/sources"),
  ]);
  const names = new Map((sources.ok ? sources.data.items : []).map((s) => [s.id, s.name]));
  return (
    <div className="grid gap-6">
      <PageHeader title="Incidents" description={`Summaries of what went wrong, ${range.label}${sp.source_id ? `, source ${names.get(sp.source_id) ?? sp.source_id}` : ""}.`} />
      <RangePicker path="/incidents" current={range.key} params={sp} />
      {!summaries.ok ? (
        <ErrorState error={summaries.error} what="the incidents" />
      ) : summaries.data.items.length === 0 ? (
        <EmptyState title="No incidents in this range">
          LogAi writes an incident summary when a source has an anomaly, a burst of errors or new patterns — after its first 30
          windows of baseline. Try a longer range.
        </EmptyState>
      ) : (
        <Table aria-label="Incidents">
          <TableHeader>
            <TableRow>
              <TableHead>Severity</TableHead>
              <TableHead>Incident</TableHead>
              <TableHead>When</TableHead>
              <TableHead className="text-right">Windows</TableHead>
              <TableHead>Written by</TableHead>
              <TableHead className="text-right">Cost</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {summaries.data.items.map((s) => (
              <TableRow key={s.id}>
                <TableCell>
                  <SeverityBadge severity={s.severity} />
                </TableCell>
                <TableCell className="max-w-lg">
                  <Link href={`/incidents/${encodeURIComponent(s.id)}`} className="font-medium underline-offset-4 hover:underline">
                    {s.title}
                  </Link>
                  <div className="text-xs text-muted-foreground">
                    {names.get(s.source_id) ?? s.source_id} · {s.trigger}
                  </div>
                </TableCell>
                <TableCell className="text-xs">{formatTime(s.window_start)}</TableCell>
                <TableCell className="text-right">{s.windows}</TableCell>
                <TableCell>
                  {s.llm_model === "extractive" ? <Badge variant="secondary">extractive</Badge> : <Badge variant="outline">{s.llm_model}</Badge>}
                </TableCell>
                <TableCell className="text-right tabular-nums">{formatUsd(Number(s.cost_usd))}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
