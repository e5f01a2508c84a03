import Link from "next/link";
import { attempt, getMe, may } from "@/app/lib/api";
import { formatTime } from "@/app/lib/format";
import type { AlertEvent, AlertRule, Source } from "@/app/lib/types";
import { AlertEventsTable } from "@/app/ui/alerts/alert-events";
import { RuleActions } from "@/app/ui/alerts/rule-actions";
import { describeCondition } from "@/app/ui/alerts/describe";
import { EmptyState, ErrorState, PageHeader } from "@/app/ui/states";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata = { title: "Alerts" };

export default async function AlertsPage() {
  const me = await getMe();
  const [rules, events, sources] = await Promise.all([
    attempt<{ items: AlertRule[] }>("/v1/alert-rules"),
    attempt<{ items: AlertEvent[] }>("/v1/alerts?limit=100"),
    attempt<{ items: Source[] }>("/v1/sources"),
  ]);
  const names = new Map((sources.ok ? sources.data.items : []).map((s) => [s.id, s.name]));
  const canEdit = may(me, "alerts");
  return (
    <div className="grid gap-6">
      <PageHeader title="Alerts" description="Rules that watch your sources, and the alerts they raised.">
        {canEdit && (
          <Button asChild>
            <Link href="/alerts/new">New rule</Link>
          </Button>
        )}
      </PageHeader>
      <Card>
        <CardHeader>
          <CardTitle>Rules</CardTitle>
        </CardHeader>
        <CardContent>
          {!rules.ok ? (
            <ErrorState error={rules.error} what="the rules" />
          ) : rules.data.items.length === 0 ? (
            <EmptyState title="No alert rules yet">
              {canEdit ? "Create one with “New rule”: its preview shows how often it would have fired." : "Members, admins and owners create rules."}
            </EmptyState>
          ) : (
            <Table aria-label="Alert rules">
              <TableHeader>
                <TableRow>
                  <TableHead>Rule</TableHead>
                  <TableHead>Condition</TableHead>
                  <TableHead>Channels</TableHead>
                  <TableHead>Updated</TableHead>
                  <TableHead>State</TableHead>
                  {canEdit && <TableHead className="sr-only">Actions</TableHead>}
                </TableRow>
              </TableHeader>
              <TableBody>
                {rules.data.items.map((r) => (
                  <TableRow key={r.id}>
                    <TableCell>
                      <div className="font-medium">{r.name}</div>
                      <div className="text-xs text-muted-foreground">{r.source_id ? names.get(r.source_id) ?? r.source_id : "every source"}</div>
                    </TableCell>
                    <TableCell className="text-sm">{describeCondition(r.condition)}</TableCell>
                    <TableCell className="text-xs">{Object.keys(r.channels ?? {}).join(", ") || "none (recorded only)"}</TableCell>
                    <TableCell className="text-xs">{formatTime(r.updated_at)}</TableCell>
                    <TableCell>{r.is_active ? <Badge variant="success">active</Badge> : <Badge variant="secondary">paused</Badge>}</TableCell>
                    {canEdit && (
                      <TableCell>
                        <RuleActions id={r.id} active={r.is_active} />
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Raised alerts</CardTitle>
        </CardHeader>
        <CardContent>
          {!events.ok ? (
            <ErrorState error={events.error} what="the alerts" />
          ) : events.data.items.length === 0 ? (
            <EmptyState title="No alerts raised">When a rule fires, the alert and every notification's delivery show here.</EmptyState>
          ) : (
            <AlertEventsTable events={events.data.items} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
