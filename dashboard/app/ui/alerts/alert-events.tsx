import Link from "next/link";
import { formatTime } from "@/app/lib/format";
import type { AlertEvent } from "@/app/lib/types";
import { StatusBadge } from "@/app/ui/severity";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

type Delivery = { channel?: string; target?: string; delivered?: boolean; attempts?: number; error?: string };

/** Raised alerts with their last notification and every delivery's outcome. */
export function AlertEventsTable({ events }: { events: AlertEvent[] }) {
  return (
    <Table aria-label="Raised alerts">
      <TableHeader>
        <TableRow>
          <TableHead>Alert</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>First seen</TableHead>
          <TableHead className="text-right">Windows</TableHead>
          <TableHead>Notification</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {events.map((e) => {
          const payload = (e.payload ?? {}) as { title?: string; deliveries?: Delivery[]; window_start?: string; window_end?: string };
          const deliveries = payload.deliveries ?? [];
          const state = (e.notification_state as string | undefined) ?? undefined;
          const reason = (e.notification_reason as string | undefined) ?? undefined;
          return (
            <TableRow key={e.id}>
              <TableCell className="max-w-md">
                <div className="font-medium">{payload.title ?? (e.rule_name as string) ?? e.rule_id}</div>
                <div className="text-xs text-muted-foreground">
                  rule {(e.rule_name as string) ?? e.rule_id}
                  {e.source_id && (
                    <>
                      {" · "}
                      <Link
                        className="underline"
                        href={`/sources/${e.source_id}?from=${payload.window_start ?? e.first_seen}&to=${payload.window_end ?? e.first_seen}`}
                      >
                        data
                      </Link>
                    </>
                  )}
                </div>
              </TableCell>
              <TableCell>
                <StatusBadge status={e.status} />
              </TableCell>
              <TableCell className="text-xs">{formatTime(e.first_seen)}</TableCell>
              <TableCell className="text-right">{e.count}</TableCell>
              <TableCell className="text-xs">
                {state && <StatusBadge status={state} />} {reason && <span className="text-muted-foreground">{reason}</span>}
                <ul className="mt-1 grid gap-0.5">
                  {deliveries.map((d, i) => (
                    <li key={i} className={d.delivered ? "text-emerald-700" : "text-destructive"}>
                      {d.channel} → {d.target}: {d.delivered ? "delivered" : `failed${d.error ? ` (${d.error})` : ""}`}
                      {d.attempts && d.attempts > 1 ? `, ${d.attempts} attempts` : ""}
                    </li>
                  ))}
                </ul>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
