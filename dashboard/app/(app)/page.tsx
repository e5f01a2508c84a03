import Link from "next/link";
import { Suspense } from "react";
import { attempt, getMe, may } from "@/app/lib/api";
import { fillBuckets } from "@/app/lib/buckets";
import { formatNumber, formatPercent, timeAgo } from "@/app/lib/format";
import { bucketsFor, resolveRange } from "@/app/lib/range";
import type { Overview } from "@/app/lib/types";
import { Sparkline } from "@/app/ui/charts/charts";
import { QuotaBar } from "@/app/ui/overview/quota-bar";
import { RangePicker } from "@/app/ui/range-picker";
import { NewSourceForm } from "@/app/ui/sources/new-source";
import { EmptyState, ErrorState, PageHeader } from "@/app/ui/states";
import { Badge } from "@/components/ui/badge";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata = { title: "Overview" };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const range = resolveRange({ range: params.range ?? "24h" });
  const me = await getMe();
  const overview = await attempt<Overview>(
    `/v1/overview?since=${range.since}&until=${range.until}&buckets=${range.key === "24h" ? 48 : bucketsFor(range.key)}`,
  );
  return (
    <div className="grid gap-6">
      <PageHeader title="Overview" description={`Every source of ${me.org_name}, ${range.label}.`}>
        <Suspense fallback={<Skeleton className="h-8 w-72" />}>
          <QuotaBar />
        </Suspense>
      </PageHeader>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <RangePicker path="/" current={range.key} params={params} ranges={["1h", "6h", "24h", "7d", "30d"]} />
        {may(me, "sources") && <NewSourceForm />}
      </div>
      {!overview.ok ? (
        <ErrorState error={overview.error} what="the sources" />
      ) : overview.data.sources.length === 0 ? (
        <EmptyState title="No sources yet">
          {may(me, "sources")
            ? "Create a source with “New source”, then send it logs: its page shows the curl command."
            : "An admin of the org creates sources; ask one to add yours."}
        </EmptyState>
      ) : (
        <Table aria-label="Sources">
          <TableHeader>
            <TableRow>
              <TableHead>Source</TableHead>
              <TableHead>Volume</TableHead>
              <TableHead className="text-right">Lines</TableHead>
              <TableHead className="text-right">Error rate</TableHead>
              <TableHead className="text-right">Incidents</TableHead>
              <TableHead className="text-right">Alerts firing</TableHead>
              <TableHead>Last line</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {overview.data.sources.map((s) => (
              <TableRow key={s.id}>
                <TableCell>
                  <Link href={`/sources/${s.id}?range=${range.key}`} className="font-medium underline-offset-4 hover:underline">
                    {s.name}
                  </Link>
                  <div className="text-xs text-muted-foreground">{s.env}</div>
                </TableCell>
                <TableCell>
                  <Sparkline points={fillBuckets(s.volume, overview.data.since, overview.data.until, overview.data.step_seconds)} label={`${s.name}: ${formatNumber(s.lines)} lines, ${range.label}`} />
                </TableCell>
                <TableCell className="text-right tabular-nums">{formatNumber(s.lines)}</TableCell>
                <TableCell className="text-right tabular-nums">
                  <span className={s.error_rate >= 0.05 ? "font-medium text-destructive" : undefined}>
                    {s.lines ? formatPercent(s.error_rate) : "—"}
                  </span>
                </TableCell>
                <TableCell className="text-right">
                  {s.incidents > 0 ? (
                    <Link href={`/incidents?source_id=${s.id}&range=${range.key}`} className="underline">
                      {s.incidents}
                    </Link>
                  ) : (
                    0
                  )}
                </TableCell>
                <TableCell className="text-right">
                  {s.open_alerts > 0 ? <Badge variant="destructive">{s.open_alerts}</Badge> : 0}
                </TableCell>
                <TableCell className="text-sm text-muted-foreground">{timeAgo(s.last_line_at)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
