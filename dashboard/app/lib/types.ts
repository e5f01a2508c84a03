/** Shapes of the query API's answers the dashboard reads (docs/openapi.yaml). */
export type Me = {
  kind: "person" | "api_key";
  org_id: string;
  org_name: string;
  plan: string;
  user_id?: string;
  email?: string;
  role?: "viewer" | "member" | "admin" | "owner";
  permissions: string[];
  orgs: { id: string; name: string; role?: string }[];
};

export type Levels = Record<"trace" | "debug" | "info" | "warn" | "error" | "fatal" | "unknown", number>;

export type VolumeBucket = { start: string; lines: number; errors: number; levels: Levels };

export type SourceOverview = {
  id: string;
  name: string;
  env: string;
  lines: number;
  errors: number;
  error_rate: number;
  last_line_at: string | null;
  incidents: number;
  open_alerts: number;
  volume: VolumeBucket[];
};

export type Overview = { since: string; until: string; step_seconds: number; sources: SourceOverview[] };
export type Histogram = { since: string; until: string; step_seconds: number; buckets: VolumeBucket[] };

export type Source = {
  id: string;
  name: string;
  env: string;
  parser_hint?: string | null;
  created_at: string;
  line_count?: number;
  late_lines?: number;
  first_window_start?: string | null;
  last_line_at?: string | null;
  detected_format?: string | null;
  [k: string]: unknown;
};

export type Pattern = {
  template_id: string;
  template: string;
  first_seen: string;
  last_seen: string;
  total_count: number;
  count: number;
  is_new: boolean;
  merged_from?: string[];
  windows?: { window_start: string; count: number; error_count: number }[];
};

export type Summary = {
  id: string;
  source_id: string;
  title: string;
  severity: "info" | "low" | "medium" | "high" | "critical";
  bullets: string[];
  evidence: string[];
  next_steps: string[];
  window_start: string;
  window_end: string;
  windows: number;
  trigger: string;
  llm_model: string;
  cost_usd: number;
  partial?: boolean;
  fallback_reason?: string;
  created_at?: string;
  [k: string]: unknown;
};

export type Anomaly = {
  id: string;
  source_id: string;
  ts_window: string;
  window_end?: string | null;
  metric: string;
  service: string;
  template_id: string;
  observed: number;
  baseline: number;
  zscore: number | null;
  score: number;
  label: string;
  /** Where the evidence began: a lasting change's first window (a slow leak, an error-rate rise, a lasting drop), else ts_window. */
  onset?: string;
  explanation: {
    reason?: string;
    top_templates?: { template_id?: string; template?: string; count?: number }[] | unknown;
    top_services?: unknown;
    examples?: string[];
    [k: string]: unknown;
  };
};

export type WindowRow = {
  source_id: string;
  window_start: string;
  window_end: string;
  line_count: number;
  levels: Levels;
  error_rate: number;
  is_final: boolean;
  /** Lines that carried a duration, and their p50/p95 in ms; null when none did. */
  latency_count?: number | null;
  latency_p50_ms?: number | null;
  latency_p95_ms?: number | null;
};

export type AlertRule = {
  id: string;
  name: string;
  source_id?: string;
  condition: Record<string, unknown>;
  channels: Record<string, unknown>;
  page_max_age: string;
  is_active: boolean;
  version: number;
  created_at: string;
  updated_at: string;
  signing_secret_hint?: string;
  signing_secret?: string;
};

export type AlertEvent = {
  id: string;
  rule_id: string;
  source_id?: string | null;
  status: string;
  first_seen: string;
  last_sent?: string | null;
  count: number;
  notification?: { state?: string; reason?: string; [k: string]: unknown } | null;
  payload?: Record<string, unknown> & { title?: string; deliveries?: { channel?: string; ok?: boolean; status?: unknown; error?: string }[] };
  [k: string]: unknown;
};

export type RulePreview = {
  since: string;
  until: string;
  kind: string;
  fired: number;
  evaluated: number;
  firings: { at: string; source_id: string; value: number }[];
  series: { t: string; value: number }[];
  threshold?: number;
  note?: string;
};

export type Upload = {
  id: string;
  source_id: string;
  status: string;
  filename?: string;
  size: number;
  bytes_read: number;
  line_count: number;
  truncated_lines?: number;
  ts_start?: string | null;
  ts_end?: string | null;
  failure_reason?: string | null;
  created_at: string;
  [k: string]: unknown;
};

export type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  source_id?: string | null;
  created_at: string;
  created_by?: string | null;
  last_used_at?: string | null;
  expires_at?: string | null;
  revoked_at?: string | null;
  key?: string;
};

export type Member = {
  id: string;
  email: string | null;
  role: string;
  status: string;
  created_at: string;
  last_login_at?: string | null;
};

export type SearchHit = { kind: "pattern" | "summary" | "anomaly" | "alert"; id: string; source_id: string | null; title: string; at: string | null };

export type Usage = {
  org_id: string;
  plan: {
    id: string;
    name: string;
    bytes_per_month: number;
    max_sources: number;
    retention_days: number;
    ingest_bytes_per_second?: number;
    ingest_burst_bytes?: number;
    ai_budget_usd: number;
  };
  period: { start: string; end: string };
  month: { bytes: number; lines: number; requests: number; quota_bytes: number; remaining_bytes: number; percent_used: number };
  days: { day: string; bytes: number; lines: number; requests: number }[];
  sources: { used: number; allowed: number };
  retention_days: number;
  ai: { spend_usd: number; budget_usd: number };
  warnings: { threshold_percent: number; period_start: string; recorded_at: string }[];
  history: { month: string; bytes: number; lines: number; requests: number }[];
  upgrade?: { next_plan: string | null; hint: string } | null;
};

/** GET /v1/anomaly-settings: the org's own level and each source's; null = inherited. */
export type AnomalySettings = {
  sensitivity: "low" | "medium" | "high" | null;
  sources: { source_id: string; name: string; sensitivity: "low" | "medium" | "high" | null }[];
};
