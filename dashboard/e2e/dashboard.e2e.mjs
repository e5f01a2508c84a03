// Browser tests of the dashboard against a real local LogAi (./logai up on free ports): people sign
// in per role through the local issuer's real login form, and every view is driven, screenshotted
// (dashboard/test-results/) and checked with axe-core. Run by ./logai test (node --test).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";
import { startStack } from "./stack.mjs";

const OUT = resolve(import.meta.dirname, "..", "test-results");
const AXE = resolve(import.meta.dirname, "..", "node_modules", "axe-core", "axe.min.js");
mkdirSync(OUT, { recursive: true });

let stack;
let browser;
const sessions = {};
const timings = [];
const shared = {};
let webhookHits = [];
let webhook;

before(async () => {
  stack = await startStack();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  webhook = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      webhookHits.push(body);
      res.writeHead(200).end("ok");
    });
  });
  await new Promise((r) => webhook.listen(0, "127.0.0.1", r));
});

after(async () => {
  writeFileSync(join(OUT, "page-timings.json"), JSON.stringify(timings, null, 2));
  if (timings.length) {
    process.stdout.write("# page interactive times (ms, domInteractive / load):\n");
    for (const t of timings) process.stdout.write(`#   ${t.view.padEnd(18)} ${String(t.interactive).padStart(6)} ${String(t.load).padStart(6)}\n`);
  }
  await browser?.close();
  webhook?.close();
  await stack?.stop();
});

/** A browser context signed in as the dev user of `role`, through the issuer's login form. */
async function signIn(role) {
  if (sessions[role]) return sessions[role];
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${stack.dashboardUrl}/login`);
  await page.getByRole("link", { name: "Sign in" }).click();
  await page.waitForSelector("#username");
  await page.fill("#username", `${role}@logai.local`);
  await page.fill("#password", stack.env.LOGAI_LOCAL_OIDC_SECRET);
  await page.click("button[type=submit]");
  await page.waitForURL(`${stack.dashboardUrl}/`);
  await page.getByRole("heading", { name: "Overview" }).waitFor();
  sessions[role] = page;
  return page;
}

/** Opens a view, records how long it took to become interactive, and checks it with axe-core. */
async function open(page, path, view) {
  await page.goto(`${stack.dashboardUrl}${path}`);
  await page.waitForLoadState("load");
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType("navigation")[0];
    return { interactive: Math.round(n.domInteractive), load: Math.round(n.loadEventEnd) };
  });
  timings.push({ view, ...nav });
  return page;
}

async function shot(page, name) {
  await page.waitForTimeout(300); // charts draw after layout
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

async function axe(page, view) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    (await axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help })),
  );
  const serious = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(serious, [], `${view}: serious accessibility violations ${JSON.stringify(serious)}`);
}

async function api(path, init = {}) {
  const res = await fetch(`${stack.env.LOGAI_API_URL}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${stack.env.LOGAI_API_KEY}`, ...(init.headers ?? {}) },
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json().catch(() => null) };
}

async function eventually(what, fn, timeoutMs = 120_000, everyMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ""}`);
}

/** A log of `minutes` quiet minutes then a burst of errors, ending `endAgoMin` minutes ago. */
function incidentLog(minutes = 40, burst = 4, endAgoMin = 3) {
  const lines = [];
  const end = Date.now() - endAgoMin * 60_000;
  const start = end - (minutes + burst) * 60_000;
  for (let m = 0; m < minutes + burst; m++) {
    const t0 = start + m * 60_000;
    const quiet = m < minutes;
    const n = quiet ? 30 : 400;
    for (let i = 0; i < n; i++) {
      const ts = new Date(t0 + Math.floor((i * 60_000) / n)).toISOString();
      if (quiet) lines.push(`${ts} INFO checkout completed order=${m * 100 + i} in ${20 + (i % 7)} ms`);
      else lines.push(`${ts} ERROR payment gateway timeout after 3000 ms order=${m * 1000 + i}`);
    }
  }
  return lines.join("\n") + "\n";
}

test("the login page and sign-in through the local issuer, per role", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await open(page, "/login", "login");
  await shot(page, "00-login");
  await axe(page, "login");
  await context.close();
  for (const role of ["owner", "admin", "member", "viewer"]) {
    const p = await signIn(role);
    assert.equal(await p.getByTestId("role").textContent(), role);
  }
});

test("an admin creates a source from the overview", async () => {
  const page = await signIn("admin");
  await open(page, "/", "overview");
  await page.getByRole("button", { name: "New source" }).click();
  shared.sourceName = `checkout-${Date.now().toString(36)}`;
  await page.getByLabel("Name").fill(shared.sourceName);
  await page.getByRole("button", { name: "Create source" }).click();
  await page.waitForURL(/\/sources\/src_/);
  shared.sourceId = page.url().match(/\/sources\/(src_[^?]+)/)[1];
  await page.getByRole("heading", { name: shared.sourceName }).waitFor();
  assert.match(await page.getByTestId("curl-snippet").textContent(), new RegExp(shared.sourceId));
});

test("a member streams lines to the source and sees its volume and patterns", async () => {
  const page = await signIn("member");
  await open(page, `/sources/${shared.sourceId}?range=15m`, "source");
  await page.getByRole("button", { name: "Send lines" }).click();
  await page.getByText(/Accepted 3 lines/).waitFor();
  await eventually("the streamed window", async () => {
    await page.reload();
    return (await page.getByRole("table", { name: "Patterns" }).count()) > 0;
  });
  assert.ok((await page.getByRole("table", { name: "Patterns" }).getByRole("row").count()) >= 2);
  await page.getByRole("img", { name: /stacked by level/ }).first().waitFor();
  await shot(page, "02-source");
  await axe(page, "source");
  // the source's own anomaly sensitivity: saved through the API, still there after a reload
  const picker = page.getByLabel("Anomaly sensitivity");
  assert.equal(await picker.inputValue(), "");
  await picker.selectOption("high");
  await page.getByText("Saved. Windows judged from now on use it.").waitFor();
  await page.reload();
  assert.equal(await page.getByLabel("Anomaly sensitivity").inputValue(), "high");
  await page.getByLabel("Anomaly sensitivity").selectOption("");
  await page.getByText("Saved. Windows judged from now on use it.").waitFor();
  // drill down into a pattern
  await page.getByRole("table", { name: "Patterns" }).getByRole("link", { name: /payment failed/ }).click();
  await page.getByTestId("pattern-detail").waitFor();
  await shot(page, "03-pattern");
});

test("a member uploads a file, watches it process, and opens the incident it caused", async () => {
  // a source of its own: the file's lines are older than the streamed ones (each source has its own clock)
  const created = await api("/v1/sources", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: `backfill-${Date.now().toString(36)}`, env: "production" }),
  });
  assert.equal(created.status, 201);
  shared.uploadSourceId = created.body.id;
  const page = await signIn("member");
  await open(page, "/uploads", "uploads");
  await page.getByLabel("Source").selectOption(shared.uploadSourceId);
  const content = incidentLog();
  await page.setInputFiles("#upload-file", { name: "checkout.log", mimeType: "text/plain", buffer: Buffer.from(content) });
  await page.getByTestId("upload-done").waitFor({ timeout: 180_000 });
  assert.match(await page.getByTestId("upload-done").textContent(), /processed: [\d,.k]+ lines/);
  await shot(page, "04-uploads");
  await axe(page, "uploads");
  // the burst becomes an incident (extractive summary: no LLM configured)
  const incident = await eventually(
    "the incident summary",
    async () => {
      const r = await api(`/v1/summaries?source_id=${shared.uploadSourceId}&since=${new Date(Date.now() - 86_400_000).toISOString()}`);
      return r.body?.items?.find((s) => s.trigger === "anomaly") ?? null;
    },
    180_000,
  );
  shared.summaryId = incident.id;
  await open(page, `/incidents?source_id=${shared.uploadSourceId}`, "incidents");
  await page.getByRole("link", { name: incident.title }).first().click();
  await page.waitForURL(/\/incidents\//);
  await page.getByRole("heading", { name: "What happened" }).waitFor();
  await page.getByRole("heading", { name: "Evidence" }).waitFor();
  await page.getByRole("img", { name: /expected band/ }).waitFor();
  await shot(page, "06-incident");
  await axe(page, "incident");
  await open(page, "/incidents", "incidents");
  await shot(page, "05-incidents");
  await axe(page, "incidents");
});

test("a member creates an alert rule after its preview, and the alert is delivered", async () => {
  const page = await signIn("member");
  await open(page, "/alerts/new", "new rule");
  await page.getByLabel("Name").fill("Checkout errors");
  await page.getByLabel("Source").selectOption(shared.uploadSourceId);
  await page.getByLabel("Metric", { exact: true }).selectOption("error_rate");
  await page.getByLabel("Threshold", { exact: true }).fill("0.5");
  await page.getByLabel("Over").selectOption("1m");
  await page.getByLabel("Webhook URLs", { exact: true }).fill(`http://127.0.0.1:${webhook.address().port}/hook`);
  await page.getByRole("button", { name: /Preview/ }).click();
  const text = await page.getByTestId("preview-result").textContent();
  const fired = Number(text.match(/fired (\d+)/)[1]);
  assert.ok(fired >= 1, `the uploaded burst should have fired the rule: ${text}`);
  await shot(page, "08-rule-preview");
  await axe(page, "rule editor");
  await page.getByRole("button", { name: "Create rule" }).click();
  await page.waitForURL(`${stack.dashboardUrl}/alerts`);
  await page.getByRole("table", { name: "Alert rules" }).getByText("Checkout errors").waitFor();
  // New errors now, as a live source sends them: every request carries lines stamped when it is
  // sent. (Resending one fixed batch would hold the source's clock at its first timestamp while
  // keeping the source busy, so its window would never complete: a window completes when the
  // source's newest line is out-of-orderness past its end, or after the source went quiet.) The
  // window completes within size + out-of-orderness + one request interval (~100 s), and then the
  // pipeline raises the alert and calls the webhook.
  const errorsNow = () => {
    const at = new Date().toISOString();
    return Array.from({ length: 50 }, (_, i) => `${at} ERROR payment gateway timeout after 3000 ms order=${i}`).join("\n") + "\n";
  };
  await eventually(
    "the webhook delivery",
    async () => {
      const res = await fetch(`${stack.env.LOGAI_GATEWAY_URL}/v1/logs/stream`, {
        method: "POST",
        headers: { Authorization: `Bearer ${stack.env.LOGAI_API_KEY}`, "X-Source-Id": shared.uploadSourceId, "Content-Type": "text/plain" },
        body: errorsNow(),
      });
      assert.equal(res.status, 202, `the gateway accepts the lines: ${await res.text()}`);
      return webhookHits.length > 0;
    },
    240_000,
    10_000,
  );
  await eventually("the raised alert on the page", async () => {
    await open(page, "/alerts", "alerts");
    return (await page.getByRole("table", { name: "Raised alerts" }).getByText(/delivered/).count()) > 0;
  });
  await shot(page, "07-alerts");
  await axe(page, "alerts");
});

test("anomalies and search find what the upload caused", async () => {
  const page = await signIn("viewer");
  await open(page, `/anomalies?source_id=${shared.uploadSourceId}&range=6h`, "anomalies");
  await page.getByRole("img", { name: /expected band/ }).waitFor();
  assert.ok((await page.getByText(/error_rate spike|volume spike/).count()) >= 1, "the burst is flagged");
  await shot(page, "09-anomalies");
  await axe(page, "anomalies");
  await open(page, `/search?q=${encodeURIComponent("gateway timeout")}`, "search");
  await page.getByRole("list", { name: "Results" }).waitFor();
  assert.ok((await page.getByRole("list", { name: "Results" }).getByRole("listitem").count()) >= 1);
  await shot(page, "10-search");
  await axe(page, "search");
});

test("an admin creates an API key, sees it once, and revokes it", async () => {
  const page = await signIn("admin");
  await open(page, "/settings/keys", "api keys");
  const name = `e2e-key-${Date.now().toString(36)}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-key-value").textContent()).trim();
  assert.match(key, /^lgai_/);
  const ok = await fetch(`${stack.env.LOGAI_API_URL}/v1/sources`, { headers: { Authorization: `Bearer ${key}` } });
  assert.equal(ok.status, 403, "an ingest-only key may not read"); // the key exists and is checked
  await shot(page, "11-keys");
  await axe(page, "api keys");
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: `Revoke key ${name}` }).click();
  await page.getByTestId(`key-${name}`).getByText("revoked").waitFor();
  const refused = await fetch(`${stack.env.LOGAI_API_URL}/v1/sources`, { headers: { Authorization: `Bearer ${key}` } });
  assert.equal(refused.status, 401);
  await page.reload();
  assert.equal(await page.getByText(key).count(), 0, "the key is never shown again");
});

test("./logai up: each service's Prometheus metrics on its management port, and the job's, show the lines and refusals above", async () => {
  const gateway = await (await fetch(`${stack.env.LOGAI_GATEWAY_MANAGEMENT_URL}/actuator/prometheus`)).text();
  const received = gateway.match(new RegExp(`^logai_ingest_received_bytes_total\\{org="${stack.env.LOGAI_ORG_ID}",service="logai-ingest-gateway"\\} (\\S+)$`, "m"));
  assert.ok(received && Number(received[1]) > 0, "the gateway counted the org's bytes");
  assert.match(gateway, /^kafka_producer_records_sent_total\{client_id="logai-gateway",service="logai-ingest-gateway"\} [1-9]/m);
  const api = await (await fetch(`${stack.env.LOGAI_API_MANAGEMENT_URL}/actuator/prometheus`)).text();
  assert.match(api, /^logai_auth_failures_total\{reason="unauthenticated",service="logai-query-api"\} [1-9]/m, "the revoked key's 401");
  assert.match(api, /^http_server_requests_seconds_count\{.*status="200",uri="\/v1\/sources"\} [1-9]/m);
  const notPublic = await fetch(`${stack.env.LOGAI_API_URL}/actuator/prometheus`);
  assert.equal(notPublic.status, 404, "metrics are not on the public port");
  assert.equal((await fetch(`${stack.env.LOGAI_GATEWAY_URL}/readyz`)).status, 200);
  // the pipeline's Flink metrics on 127.0.0.1 (LOGAI_METRICS_PORT): lines parsed by format, windows out
  const job = await (await fetch(stack.env.LOGAI_JOB_METRICS_URL)).text();
  const parsed = [...job.matchAll(/^flink_taskmanager_job_task_operator_format_linesParsed\{[^}]*\} (\S+)$/gm)];
  assert.ok(parsed.reduce((sum, m) => sum + Number(m[1]), 0) > 0, "the job counted parsed lines");
  assert.match(job, /^flink_taskmanager_job_task_operator_windowsEmitted\{[^}]*\} [1-9]/m);
  assert.match(job, /^flink_jobmanager_job_numberOfCompletedCheckpoints\{[^}]*\} [1-9]/m);
});

test("members and roles", async () => {
  const page = await signIn("owner");
  await open(page, "/settings/members", "members");
  for (const role of ["owner", "admin", "member", "viewer"]) await page.getByText(`${role}@logai.local`).first().waitFor();
  shared.invitee = `new.person.${Date.now().toString(36)}@example.com`;
  await page.getByLabel("E-mail").fill(shared.invitee);
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Invite" }).click();
  await page.getByText(`Invited ${shared.invitee}`, { exact: false }).waitFor();
  await shot(page, "12-members");
  await axe(page, "members");
});

test("usage: the quota, or a clear message where the API has no usage yet", async () => {
  const page = await signIn("owner");
  await open(page, "/usage", "usage");
  const served = (await api("/v1/usage")).status;
  if (served === 404) {
    await page.getByTestId("usage-unavailable").waitFor();
  } else {
    assert.equal(served, 200);
    await page.getByTestId("usage-month-bytes").waitFor();
    await page.getByRole("img", { name: /per day/ }).waitFor();
  }
  await shot(page, "13-usage");
  await axe(page, "usage");
  await open(page, "/", "overview");
  await (served === 404 ? page.getByTestId("quota-unavailable") : page.getByTestId("quota-bar")).waitFor();
  await page.getByRole("table", { name: "Sources" }).getByText(shared.sourceName).waitFor();
  await shot(page, "01-overview");
  await axe(page, "overview");
});

test("a viewer sees no create buttons, and the API refuses anyway", async () => {
  const page = await signIn("viewer");
  await open(page, "/", "overview (viewer)");
  await page.getByRole("table", { name: "Sources" }).waitFor();
  assert.equal(await page.getByRole("button", { name: "New source" }).count(), 0);
  await open(page, "/alerts", "alerts (viewer)");
  assert.equal(await page.getByRole("link", { name: "New rule" }).count(), 0);
  assert.equal(await page.getByRole("button", { name: "Delete" }).count(), 0);
  await open(page, `/sources/${shared.sourceId}`, "source (viewer)");
  assert.equal(await page.getByRole("button", { name: "Send lines" }).count(), 0);
  assert.ok(await page.getByLabel("Anomaly sensitivity").isDisabled());
  await open(page, "/uploads", "uploads (viewer)");
  assert.equal(await page.getByRole("button", { name: "Choose a file" }).count(), 0);
  await open(page, "/settings/keys", "keys (viewer)");
  await page.getByText("Only admins and owners manage API keys").waitFor();
  await open(page, "/alerts/new", "new rule (viewer)");
  await page.getByText("Viewers cannot create alert rules").waitFor();
  await shot(page, "14-viewer-alerts-new");
});
