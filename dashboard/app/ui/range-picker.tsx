import Link from "next/link";
import { RANGES } from "@/app/lib/range";
import { cn } from "@/app/lib/utils";

/** Range links that keep the other query parameters: the range lives in the URL. */
export function RangePicker({
  path,
  current,
  params,
  ranges = RANGES,
}: {
  path: string;
  current: string;
  params?: Record<string, string | undefined>;
  ranges?: readonly string[];
}) {
  return (
    <div role="group" aria-label="Time range" className="inline-flex rounded-md border p-0.5">
      {ranges.map((r) => {
        const q = new URLSearchParams();
        for (const [k, v] of Object.entries(params ?? {})) if (v && k !== "range" && k !== "from" && k !== "to") q.set(k, v);
        q.set("range", r);
        return (
          <Link
            key={r}
            href={`${path}?${q}`}
            aria-current={current === r ? "true" : undefined}
            className={cn(
              "rounded px-2.5 py-1 text-xs",
              current === r ? "bg-primary text-primary-foreground" : "text-muted-foreground hover:bg-accent",
            )}
          >
            {r}
          </Link>
        );
      })}
    </div>
  );
}
