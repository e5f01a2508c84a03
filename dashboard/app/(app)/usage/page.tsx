import { attempt, getMe, may } from "@/app/lib/api";
import { formatBytes, formatNumber, formatPercent, formatTime, formatUsd } from "@/app/lib/format";
import type { Usage } from "@/app/lib/types";
import { QuotaMeter } from "@/app/ui/overview/quota-bar";
import { ErrorState, PageHeader } from "@/app/ui/states";
import { DailyUsage } from "@/app/ui/usage/usage-charts";
import { PlanSwitcher } from "@/app/ui/usage/plan-switcher";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata = { title: "Usage & billing" };

export default async function UsagePage() {
  const me = await getMe();
  const usage = await attempt<Usage>("/v1/usage");
  if (!usage.ok) {
    return (
      <div>
        <PageHeader title="Usage & billing" />
        {usage.error.status === 404 ? (
          <Alert variant="destructive" data-testid="usage-unavailable">
            <AlertTitle>Usage unavailable</AlertTitle>
            <AlertDescription>
              This LogAi’s query API does not report usage (GET /v1/usage answered 404). It comes with plans and quotas; update
              the query API to see your quota, daily use, AI spend and plan here.
            </AlertDescription>
          </Alert>
        ) : (
          <ErrorState error={usage.error} what="the usage" />
        )}
      </div>
    );
  }
  const u = usage.data;
  return (
    <div className="grid gap-6">
      <PageHeader
        title="Usage & billing"
        description={`${u.plan.name} plan · this period ${formatTime(u.period.start).slice(0, 10)} to ${formatTime(u.period.end).slice(0, 10)}`}
      >
        <QuotaMeter usage={u} />
      </PageHeader>
      {u.warnings.length > 0 && (
        <Alert variant="destructive">
          <AlertTitle>You passed {Math.max(...u.warnings.map((w) => w.threshold_percent))}% of this month’s quota</AlertTitle>
          <AlertDescription>
            Past 100% the gateway refuses new lines until the month ends.{u.upgrade?.hint ? ` ${u.upgrade.hint}` : ""}
          </AlertDescription>
        </Alert>
      )}
      <div className="grid gap-4 md:grid-cols-4">
        <Card>
          <CardHeader>
            <CardDescription>Ingested this month</CardDescription>
            <CardTitle className="text-2xl" data-testid="usage-month-bytes">
              {formatBytes(u.month.bytes)}
            </CardTitle>
          </CardHeader>
          <CardContent className="text-xs text-muted-foreground">
            of {formatBytes(u.month.quota_bytes)} · {formatBytes(u.month.remaining_bytes)} left · {formatNumber(u.month.lines)} lines in{" "}
            {formatNumber(u.month.requests)} requests
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription>Sources</CardDescription>
            <CardTitle className="text-2xl">
              {u.sources.used} / {u.sources.allowed}
            </CardTitle>
          </CardHeader>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription>AI spend vs budget</CardDescription>
            <CardTitle className="text-2xl">
              {formatUsd(u.ai.spend_usd)} / {formatUsd(u.ai.budget_usd)}
            </CardTitle>
          </CardHeader>
          <CardContent className="text-xs text-muted-foreground">
            {u.ai.budget_usd > 0 ? formatPercent(u.ai.spend_usd / u.ai.budget_usd) : "—"} used; past the budget, summaries are extractive.
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription>Retention</CardDescription>
            <CardTitle className="text-2xl">{u.retention_days} days</CardTitle>
          </CardHeader>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Per day</CardTitle>
        </CardHeader>
        <CardContent>
          {u.days.length === 0 ? <p className="text-sm text-muted-foreground">Nothing ingested this month yet.</p> : <DailyUsage days={u.days} />}
        </CardContent>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Plan and limits</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-3 text-sm">
            <dl className="grid grid-cols-2 gap-y-1">
              <dt className="text-muted-foreground">Ingest per month</dt>
              <dd>{formatBytes(u.plan.bytes_per_month)}</dd>
              <dt className="text-muted-foreground">Sources</dt>
              <dd>{u.plan.max_sources}</dd>
              <dt className="text-muted-foreground">Retention</dt>
              <dd>{u.plan.retention_days} days</dd>
              {u.plan.ingest_bytes_per_second != null && (
                <>
                  <dt className="text-muted-foreground">Ingest rate</dt>
                  <dd>
                    {formatBytes(u.plan.ingest_bytes_per_second)}/s (bursts of {formatBytes(u.plan.ingest_burst_bytes ?? 0)})
                  </dd>
                </>
              )}
              <dt className="text-muted-foreground">AI budget</dt>
              <dd>{formatUsd(u.plan.ai_budget_usd)} a month</dd>
            </dl>
            {u.upgrade?.hint && <p>{u.upgrade.hint}</p>}
            {may(me, "org") && <PlanSwitcher current={u.plan.id} />}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Previous months</CardTitle>
          </CardHeader>
          <CardContent>
            {u.history.length === 0 ? (
              <p className="text-sm text-muted-foreground">No earlier months.</p>
            ) : (
              <Table aria-label="Previous months">
                <TableHeader>
                  <TableRow>
                    <TableHead>Month</TableHead>
                    <TableHead className="text-right">Ingested</TableHead>
                    <TableHead className="text-right">Lines</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {u.history.map((h) => (
                    <TableRow key={h.month}>
                      <TableCell>{h.month}</TableCell>
                      <TableCell className="text-right">{formatBytes(h.bytes)}</TableCell>
                      <TableCell className="text-right">{formatNumber(h.lines)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}
