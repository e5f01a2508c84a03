import Link from "next/link";
import { attempt } from "@/app/lib/api";
import { formatBytes } from "@/app/lib/format";
import type { Usage } from "@/app/lib/types";
import { cn } from "@/app/lib/utils";

/** The org's ingest quota this month, from GET /v1/usage. */
export async function QuotaBar() {
  const usage = await attempt<Usage>("/v1/usage");
  if (!usage.ok) {
    return (
      <p className="text-sm text-muted-foreground" data-testid="quota-unavailable">
        Usage unavailable{usage.error.status === 404 ? ": this LogAi does not report usage yet." : `: ${usage.error.title}.`}
      </p>
    );
  }
  return <QuotaMeter usage={usage.data} />;
}

export function QuotaMeter({ usage }: { usage: Usage }) {
  const pct = Math.min(100, Math.max(0, usage.month.percent_used));
  const tone = pct >= 100 ? "bg-red-600" : pct >= 80 ? "bg-amber-500" : "bg-emerald-600";
  return (
    <div className="grid w-72 gap-1" data-testid="quota-bar">
      <div className="flex justify-between text-xs">
        <span>
          {usage.plan.name} plan: {formatBytes(usage.month.bytes)} of {formatBytes(usage.month.quota_bytes)}
        </span>
        <Link href="/usage" className="underline">
          {pct.toFixed(1)}%
        </Link>
      </div>
      <div
        className="h-2 w-full overflow-hidden rounded-full bg-muted"
        role="progressbar"
        aria-label="Ingest quota used this month"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
      >
        <div className={cn("h-full", tone)} style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
