import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { PatternsTable, selectPatterns } from "@/app/ui/sources/patterns-table";
import { QuotaMeter } from "@/app/ui/overview/quota-bar";
import { ErrorState, EmptyState } from "@/app/ui/states";
import type { Pattern, Usage } from "@/app/lib/types";

vi.mock("@/app/lib/api", () => ({ attempt: vi.fn() }));
const actions = vi.hoisted(() => ({ previewRule: vi.fn(), createRule: vi.fn() }));
vi.mock("@/app/lib/actions", () => actions);

import { RuleEditor, toChannels, toCondition, EMPTY_RULE } from "@/app/ui/alerts/rule-editor";

const P = (id: string, template: string, count: number, extra: Partial<Pattern> = {}): Pattern => ({
  template_id: id,
  template,
  first_seen: "2026-11-30T10:00:00Z",
  last_seen: "2026-11-30T10:05:00Z",
  total_count: count,
  count,
  is_new: false,
  windows: [{ window_start: "2026-11-30T10:00:00Z", count, error_count: 0 }],
  ...extra,
});

describe("patterns", () => {
  const patterns = [
    P("a1", "Accepted password for <*>", 10),
    P("a2", "Failed password for <*> from <*>", 30, {
      windows: [{ window_start: "2026-11-30T10:00:00Z", count: 30, error_count: 30 }],
    }),
    P("a3", "Disk <*> full", 5, { is_new: true, last_seen: "2026-11-30T11:00:00Z" }),
  ];

  it("filter by text and level and sort as the URL says", () => {
    expect(selectPatterns(patterns, {}).map((p) => p.template_id)).toEqual(["a2", "a1", "a3"]);
    expect(selectPatterns(patterns, { q: "PASSWORD" }).map((p) => p.template_id)).toEqual(["a2", "a1"]);
    expect(selectPatterns(patterns, { level: "error" }).map((p) => p.template_id)).toEqual(["a2"]);
    expect(selectPatterns(patterns, { level: "new" }).map((p) => p.template_id)).toEqual(["a3"]);
    expect(selectPatterns(patterns, { sort: "last_seen" })[0].template_id).toBe("a3");
  });

  it("render with a drill-down link and a badge on new ones", () => {
    render(
      <PatternsTable
        patterns={patterns}
        hrefFor={(p) => `/sources/src_1?pattern=${p.template_id}`}
        sortHref={(s) => `?sort=${s}`}
        range={{ since: "2026-11-30T10:00:00Z", until: "2026-11-30T11:00:00Z" }}
      />,
    );
    expect(screen.getByRole("link", { name: "Disk <*> full" }).getAttribute("href")).toBe("/sources/src_1?pattern=a3");
    expect(screen.getAllByText("new")).toHaveLength(1);
    expect(screen.getByRole("table", { name: "Patterns" })).toBeTruthy();
  });
});

describe("quota meter", () => {
  it("shows the plan's quota used, as a labelled progress bar", () => {
    const usage = {
      plan: { id: "free", name: "Free", bytes_per_month: 50000000, max_sources: 1, retention_days: 7, ai_budget_usd: 1 },
      month: { bytes: 40000000, lines: 10, requests: 3, quota_bytes: 50000000, remaining_bytes: 10000000, percent_used: 80 },
    } as unknown as Usage;
    render(<QuotaMeter usage={usage} />);
    const bar = screen.getByRole("progressbar", { name: "Ingest quota used this month" });
    expect(bar.getAttribute("aria-valuenow")).toBe("80");
    expect(screen.getByText(/Free plan: 40.0 MB of 50.0 MB/)).toBeTruthy();
  });
});

describe("states", () => {
  it("explain a refusal by role and what to do next", () => {
    render(<ErrorState what="the keys" error={{ status: 403, title: "Forbidden", detail: "Needs the keys permission." }} />);
    expect(screen.getByRole("alert").textContent).toMatch(/Could not load the keys: Forbidden/);
    expect(screen.getByRole("alert").textContent).toMatch(/an admin or owner can change your role/);
    render(<EmptyState title="No sources yet">Create one.</EmptyState>);
    expect(screen.getByText("Create one.")).toBeTruthy();
  });
});

describe("rule editor", () => {
  it("builds each kind of condition and the channels the API takes", () => {
    expect(toCondition({ ...EMPTY_RULE, threshold: "0.1", window: "5m", sustained: "2" })).toEqual({
      metric: "error_rate",
      op: ">",
      threshold: 0.1,
      window: "5m",
      sustained: 2,
    });
    expect(toCondition({ ...EMPTY_RULE, kind: "anomaly", anomalyMetric: "volume", label: "" })).toEqual({
      anomaly: { min_score: 0.8, metric: "volume" },
    });
    expect(toCondition({ ...EMPTY_RULE, kind: "pattern", newTemplate: false, contains: " OOM " })).toEqual({
      pattern: { contains: "OOM" },
    });
    expect(toChannels({ ...EMPTY_RULE, webhook: "https://a.example/h, https://b.example/h", email: "" })).toEqual({
      webhook: ["https://a.example/h", "https://b.example/h"],
    });
  });

  it("previews the rule on stored data before saving, and shows the API's refusal", async () => {
    actions.previewRule.mockResolvedValueOnce({
      ok: true,
      data: { since: "", until: "", kind: "threshold", fired: 3, evaluated: 120, firings: [], series: [], threshold: 0.5 },
    });
    render(<RuleEditor sources={[{ id: "src_1", name: "checkout" }]} />);
    fireEvent.change(screen.getByLabelText("Threshold", { exact: true }), { target: { value: "0.5" } });
    fireEvent.click(screen.getByRole("button", { name: /Preview/ }));
    await waitFor(() => expect(screen.getByTestId("preview-result").textContent).toMatch(/fired 3 times/));
    expect(actions.previewRule).toHaveBeenCalledWith({
      source_id: "src_1",
      condition: { metric: "error_rate", op: ">", threshold: 0.5, window: "5m", sustained: 1 },
    });
    actions.createRule.mockResolvedValueOnce({ ok: false, error: { status: 403, title: "Forbidden", detail: "Viewers cannot." } });
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "x" } });
    fireEvent.click(screen.getByRole("button", { name: "Create rule" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("Forbidden. Viewers cannot."));
  });
});
