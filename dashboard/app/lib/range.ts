/**
 * Time ranges in the URL: `?range=24h` (15m, 1h, 6h, 24h, 7d, 30d) or `?from=ISO&to=ISO` (the
 * links in alert notifications), so every view can be linked and reloaded.
 */
export const RANGES = ["15m", "1h", "6h", "24h", "7d", "30d"] as const;
export type RangeKey = (typeof RANGES)[number];

const SECONDS: Record<RangeKey, number> = { "15m": 900, "1h": 3600, "6h": 21600, "24h": 86400, "7d": 604800, "30d": 2592000 };

export type ResolvedRange = { since: string; until: string; key: RangeKey | "custom"; label: string };

export function resolveRange(
  params: { range?: string; from?: string; to?: string },
  now: number = Date.now(),
): ResolvedRange {
  if (params.from) {
    const from = Date.parse(params.from);
    const to = params.to ? Date.parse(params.to) : now;
    if (!Number.isNaN(from) && !Number.isNaN(to) && from < to) {
      // a little room around an alert's window, so its start and end are visible
      const pad = Math.max(300_000, (to - from) * 0.25);
      const since = new Date(from - pad).toISOString();
      const until = new Date(Math.min(to + pad, Math.max(to, now) + 60_000)).toISOString();
      return { since, until, key: "custom", label: `${since.slice(0, 16).replace("T", " ")} – ${until.slice(0, 16).replace("T", " ")} UTC` };
    }
  }
  const key = (RANGES as readonly string[]).includes(params.range ?? "") ? (params.range as RangeKey) : "24h";
  const until = Math.ceil(now / 60_000) * 60_000;
  return { since: new Date(until - SECONDS[key] * 1000).toISOString(), until: new Date(until).toISOString(), key, label: `last ${key}` };
}

export function bucketsFor(key: RangeKey | "custom"): number {
  return key === "15m" ? 15 : key === "1h" ? 60 : 120;
}
