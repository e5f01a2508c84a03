"use client";

import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { createRule, previewRule } from "@/app/lib/actions";
import type { RulePreview } from "@/app/lib/types";
import { MetricTimeline } from "@/app/ui/charts/charts";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";

type Kind = "threshold" | "anomaly" | "pattern";

export type RuleForm = {
  name: string;
  sourceId: string;
  kind: Kind;
  metric: string;
  op: string;
  threshold: string;
  window: string;
  sustained: string;
  minScore: string;
  anomalyMetric: string;
  label: string;
  newTemplate: boolean;
  contains: string;
  webhook: string;
  slack: string;
  email: string;
};

export const EMPTY_RULE: RuleForm = {
  name: "",
  sourceId: "",
  kind: "threshold",
  metric: "error_rate",
  op: ">",
  threshold: "0.05",
  window: "5m",
  sustained: "1",
  minScore: "0.8",
  anomalyMetric: "",
  label: "",
  newTemplate: true,
  contains: "",
  webhook: "",
  slack: "",
  email: "",
};

/** The condition and channels JSON the API takes, from the editor's fields. */
export function toCondition(f: RuleForm): Record<string, unknown> {
  if (f.kind === "anomaly") {
    const a: Record<string, unknown> = { min_score: Number(f.minScore) };
    if (f.anomalyMetric) a.metric = f.anomalyMetric;
    if (f.label) a.label = f.label;
    return { anomaly: a };
  }
  if (f.kind === "pattern") {
    const p: Record<string, unknown> = {};
    if (f.newTemplate) p.new_template = true;
    if (f.contains.trim()) p.contains = f.contains.trim();
    return { pattern: p };
  }
  return { metric: f.metric, op: f.op, threshold: Number(f.threshold), window: f.window, sustained: Number(f.sustained) };
}

export function toChannels(f: RuleForm): Record<string, string[]> {
  const list = (s: string) =>
    s
      .split(/[\s,]+/)
      .map((x) => x.trim())
      .filter(Boolean);
  const out: Record<string, string[]> = {};
  if (list(f.webhook).length) out.webhook = list(f.webhook);
  if (list(f.slack).length) out.slack = list(f.slack);
  if (list(f.email).length) out.email = list(f.email);
  return out;
}

export function RuleEditor({ sources }: { sources: { id: string; name: string }[] }) {
  const [f, setF] = useState<RuleForm>({ ...EMPTY_RULE, sourceId: sources[0]?.id ?? "" });
  const [preview, setPreview] = useState<RulePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const router = useRouter();
  const set = (patch: Partial<RuleForm>) => {
    setF((old) => ({ ...old, ...patch }));
    setPreview(null);
  };
  const runPreview = () =>
    start(async () => {
      setError(null);
      const r = await previewRule({ source_id: f.sourceId || undefined, condition: toCondition(f) });
      if (r.ok) setPreview(r.data);
      else setError(`${r.error.title}. ${r.error.detail}`);
    });
  const save = () =>
    start(async () => {
      setError(null);
      const r = await createRule({ name: f.name, source_id: f.sourceId || undefined, condition: toCondition(f), channels: toChannels(f) });
      if (r.ok) {
        if (r.data.signing_secret) {
          sessionStorage.setItem("logai.newRuleSecret", `${r.data.name}: ${r.data.signing_secret}`);
        }
        router.push("/alerts");
      } else setError(`${r.error.title}. ${r.error.detail}`);
    });
  return (
    <form
      className="grid gap-6"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="grid gap-1.5">
          <Label htmlFor="rule-name">Name</Label>
          <Input id="rule-name" required maxLength={200} value={f.name} onChange={(e) => set({ name: e.target.value })} placeholder="Checkout error rate" />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="rule-source">Source</Label>
          <NativeSelect id="rule-source" value={f.sourceId} onChange={(e) => set({ sourceId: e.target.value })}>
            <option value="">every source</option>
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </NativeSelect>
        </div>
      </div>
      <fieldset className="grid gap-3 rounded-lg border p-4">
        <legend className="px-1 text-sm font-medium">Condition</legend>
        <div role="radiogroup" aria-label="Kind of rule" className="flex flex-wrap gap-4 text-sm">
          {(["threshold", "anomaly", "pattern"] as Kind[]).map((k) => (
            <label key={k} className="flex items-center gap-2">
              <input type="radio" name="kind" value={k} checked={f.kind === k} onChange={() => set({ kind: k })} />
              {k === "threshold" ? "Threshold on a metric" : k === "anomaly" ? "An anomaly" : "A line pattern"}
            </label>
          ))}
        </div>
        {f.kind === "threshold" && (
          <div className="grid gap-3 sm:grid-cols-5">
            <div className="grid gap-1.5">
              <Label htmlFor="rule-metric">Metric</Label>
              <NativeSelect id="rule-metric" value={f.metric} onChange={(e) => set({ metric: e.target.value })}>
                <option value="error_rate">error rate (0–1)</option>
                <option value="error_count">error lines</option>
                <option value="line_count">lines</option>
                <option value="new_templates">new patterns</option>
              </NativeSelect>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="rule-op">Comparison</Label>
              <NativeSelect id="rule-op" value={f.op} onChange={(e) => set({ op: e.target.value })}>
                {[">", ">=", "<", "<="].map((o) => (
                  <option key={o}>{o}</option>
                ))}
              </NativeSelect>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="rule-threshold">Threshold</Label>
              <Input id="rule-threshold" type="number" step="any" required value={f.threshold} onChange={(e) => set({ threshold: e.target.value })} />
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="rule-window">Over</Label>
              <NativeSelect id="rule-window" value={f.window} onChange={(e) => set({ window: e.target.value })}>
                {["1m", "5m", "15m", "30m", "60m"].map((w) => (
                  <option key={w}>{w}</option>
                ))}
              </NativeSelect>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="rule-sustained">Windows in a row</Label>
              <Input id="rule-sustained" type="number" min={1} max={60} value={f.sustained} onChange={(e) => set({ sustained: e.target.value })} />
            </div>
          </div>
        )}
        {f.kind === "anomaly" && (
          <div className="grid gap-3 sm:grid-cols-3">
            <div className="grid gap-1.5">
              <Label htmlFor="rule-score">Minimum score (0.5–1)</Label>
              <Input id="rule-score" type="number" min={0.5} max={1} step={0.05} value={f.minScore} onChange={(e) => set({ minScore: e.target.value })} />
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="rule-ametric">Metric</Label>
              <NativeSelect id="rule-ametric" value={f.anomalyMetric} onChange={(e) => set({ anomalyMetric: e.target.value })}>
                <option value="">any</option>
                {["volume", "error_rate", "latency_p95", "latency_geomean", "template_rate", "new_templates", "silence"].map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </NativeSelect>
            </div>
            <div className="grid gap-1.5">
              <Label htmlFor="rule-label">Direction</Label>
              <NativeSelect id="rule-label" value={f.label} onChange={(e) => set({ label: e.target.value })}>
                <option value="">any</option>
                <option value="spike">spike</option>
                <option value="drop">drop</option>
                <option value="new">new</option>
              </NativeSelect>
            </div>
          </div>
        )}
        {f.kind === "pattern" && (
          <div className="grid gap-3 sm:grid-cols-2">
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={f.newTemplate} onChange={(e) => set({ newTemplate: e.target.checked })} />
              when a new pattern appears
            </label>
            <div className="grid gap-1.5">
              <Label htmlFor="rule-contains">Line contains</Label>
              <Input id="rule-contains" maxLength={500} value={f.contains} onChange={(e) => set({ contains: e.target.value })} placeholder="OutOfMemoryError" />
            </div>
          </div>
        )}
      </fieldset>
      <fieldset className="grid gap-3 rounded-lg border p-4 sm:grid-cols-3">
        <legend className="px-1 text-sm font-medium">Notify (optional; alerts are recorded either way)</legend>
        <div className="grid gap-1.5">
          <Label htmlFor="rule-webhook">Webhook URLs</Label>
          <Input id="rule-webhook" value={f.webhook} onChange={(e) => set({ webhook: e.target.value })} placeholder="https://example.com/hook" />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="rule-slack">Slack webhook URLs</Label>
          <Input id="rule-slack" value={f.slack} onChange={(e) => set({ slack: e.target.value })} placeholder="https://hooks.slack.com/services/…" />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="rule-email">E-mail addresses</Label>
          <Input id="rule-email" value={f.email} onChange={(e) => set({ email: e.target.value })} placeholder="oncall@example.com" />
        </div>
      </fieldset>
      <div className="grid gap-3 rounded-lg border bg-muted/30 p-4" aria-live="polite">
        <div className="flex flex-wrap items-center gap-3">
          <Button type="button" variant="outline" onClick={runPreview} disabled={pending}>
            Preview on the last 7 days
          </Button>
          {preview && (
            <p className="text-sm" data-testid="preview-result">
              This rule would have fired <strong>{preview.fired}</strong> {preview.fired === 1 ? "time" : "times"} in the last 7 days
              ({preview.evaluated} {preview.kind === "threshold" ? "windows" : "matches"} looked at).
              {preview.note ? ` ${preview.note}` : ""}
            </p>
          )}
        </div>
        {preview && preview.series.length > 0 && (
          <MetricTimeline
            metric={preview.kind === "threshold" ? `${f.metric} (highest per hour)` : "matches per hour"}
            threshold={preview.threshold}
            points={preview.series.map((p) => ({
              t: p.t,
              value: p.value,
              flagged: preview.firings.some((x) => x.at.slice(0, 13) === p.t.slice(0, 13)),
            }))}
          />
        )}
      </div>
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Create rule"}
        </Button>
        <Button type="button" variant="ghost" onClick={() => router.push("/alerts")}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
