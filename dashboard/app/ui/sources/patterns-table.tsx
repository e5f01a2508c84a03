import Link from "next/link";
import { sumIntoBuckets } from "@/app/lib/buckets";
import { formatNumber, formatTime } from "@/app/lib/format";
import type { Pattern } from "@/app/lib/types";
import { Sparkline } from "@/app/ui/charts/charts";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export type PatternQuery = { q?: string; level?: string; sort?: string };

/** Filters and sorts patterns as the URL says (text, errors only; by count, newest, first seen). */
export function selectPatterns(patterns: Pattern[], query: PatternQuery): Pattern[] {
  const q = query.q?.trim().toLowerCase();
  let rows = patterns.filter((p) => !q || p.template.toLowerCase().includes(q));
  if (query.level === "error") rows = rows.filter((p) => (p.windows ?? []).some((w) => w.error_count > 0));
  if (query.level === "new") rows = rows.filter((p) => p.is_new);
  const sorted = [...rows];
  if (query.sort === "last_seen") sorted.sort((a, b) => b.last_seen.localeCompare(a.last_seen));
  else if (query.sort === "first_seen") sorted.sort((a, b) => b.first_seen.localeCompare(a.first_seen));
  else if (query.sort === "template") sorted.sort((a, b) => a.template.localeCompare(b.template));
  else sorted.sort((a, b) => b.count - a.count);
  return sorted;
}

export function PatternsTable({
  patterns,
  hrefFor,
  sortHref,
  range,
}: {
  patterns: Pattern[];
  range: { since: string; until: string };
  hrefFor: (p: Pattern) => string;
  sortHref: (sort: string) => string;
}) {
  return (
    <Table aria-label="Patterns">
      <TableHeader>
        <TableRow>
          <TableHead>
            <Link href={sortHref("template")}>Pattern</Link>
          </TableHead>
          <TableHead>Trend</TableHead>
          <TableHead className="text-right">
            <Link href={sortHref("count")}>Lines in range</Link>
          </TableHead>
          <TableHead className="text-right">Total</TableHead>
          <TableHead>
            <Link href={sortHref("last_seen")}>Last seen</Link>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {patterns.map((p) => (
          <TableRow key={p.template_id}>
            <TableCell className="max-w-xl">
              <Link href={hrefFor(p)} className="font-mono text-xs break-all underline-offset-4 hover:underline">
                {p.template}
              </Link>
              {p.is_new && (
                <Badge variant="info" className="ml-2">
                  new
                </Badge>
              )}
            </TableCell>
            <TableCell>
              <Sparkline
                points={sumIntoBuckets(p.windows ?? [], range.since, range.until, 60, 40)}
                label={`Trend of pattern ${p.template_id}`}
              />
            </TableCell>
            <TableCell className="text-right tabular-nums">{formatNumber(p.count)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatNumber(p.total_count)}</TableCell>
            <TableCell className="text-xs text-muted-foreground">{formatTime(p.last_seen)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
