/** A rule's condition in words: "error_rate > 0.05 over 5m, 2 windows in a row". */
export function describeCondition(c: Record<string, unknown>): string {
  if (c.anomaly && typeof c.anomaly === "object") {
    const a = c.anomaly as Record<string, unknown>;
    return `anomaly${a.metric ? ` in ${a.metric}` : ""}${a.label ? ` (${a.label})` : ""} scored ≥ ${a.min_score ?? 0.5}`;
  }
  if (c.pattern && typeof c.pattern === "object") {
    const p = c.pattern as Record<string, unknown>;
    const parts = [p.new_template ? "a new pattern" : null, p.contains ? `a line containing “${p.contains}”` : null].filter(Boolean);
    return parts.join(" that is ") || "pattern";
  }
  if (c.absence && typeof c.absence === "object") {
    const a = c.absence as Record<string, unknown>;
    return `no ${a.contains ? `line containing “${a.contains}”` : "lines"} for ${a.for}`;
  }
  if (c.metric) {
    const sustained = Number(c.sustained ?? 1);
    return `${c.metric} ${c.op} ${c.threshold}${c.window && c.window !== "1m" ? ` over ${c.window}` : ""}${sustained > 1 ? `, ${sustained} windows in a row` : ""}${c.service ? ` (service ${c.service})` : ""}`;
  }
  return JSON.stringify(c);
}
