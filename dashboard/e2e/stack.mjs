// Starts a real LogAi (./logai up) on free ports in a temporary LOGAI_HOME for the browser tests,
// or uses a running one (E2E_LOGAI_HOME + E2E_DASHBOARD_URL, for working on the tests).
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, readFileSync, existsSync, rmSync, createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "..");

/** Whether `port` can be listened on at 127.0.0.1 right now. */
function bindable(port) {
  return new Promise((res) => {
    const s = createServer();
    s.unref();
    s.once("error", () => res(false));
    s.listen(port, "127.0.0.1", () => s.close(() => res(true)));
  });
}

const taken = new Set();

/**
 * A free port below the kernel's ephemeral range (32768–60999 on Linux): a port the kernel hands
 * out (listen on 0) is also one it may give an outgoing connection before the service binds it,
 * which once made the dashboard fail with EADDRINUSE.
 */
async function freePort() {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (!taken.has(port) && (await bindable(port))) {
      taken.add(port);
      return port;
    }
  }
  throw new Error("no free port between 20000 and 32000");
}

function readEnv(file) {
  const env = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = line.match(/^export (\w+)='(.*)'$/);
    if (m) env[m[1]] = m[2];
  }
  return env;
}

export async function startStack() {
  if (process.env.E2E_LOGAI_HOME && process.env.E2E_DASHBOARD_URL) {
    const env = readEnv(join(process.env.E2E_LOGAI_HOME, "local.env"));
    return { env, dashboardUrl: process.env.E2E_DASHBOARD_URL, stop: async () => {} };
  }
  const home = mkdtempSync(join(tmpdir(), "logai-e2e-"));
  const ports = {};
  for (const name of ["GATEWAY", "API", "GATEWAY_MANAGEMENT", "API_MANAGEMENT", "KAFKA", "POSTGRES", "S3", "OIDC", "DASHBOARD", "SYSLOG", "JOB_METRICS"]) ports[name] = await freePort();
  const env = {
    ...process.env,
    LOGAI_HOME: home,
    LOGAI_GATEWAY_PORT: String(ports.GATEWAY),
    LOGAI_API_PORT: String(ports.API),
    LOGAI_GATEWAY_MANAGEMENT_PORT: String(ports.GATEWAY_MANAGEMENT),
    LOGAI_API_MANAGEMENT_PORT: String(ports.API_MANAGEMENT),
    LOGAI_LOCAL_KAFKA_PORT: String(ports.KAFKA),
    LOGAI_LOCAL_POSTGRES_PORT: String(ports.POSTGRES),
    LOGAI_LOCAL_S3_PORT: String(ports.S3),
    LOGAI_LOCAL_OIDC_PORT: String(ports.OIDC),
    LOGAI_DASHBOARD_PORT: String(ports.DASHBOARD),
    LOGAI_SYSLOG_PORT: String(ports.SYSLOG),
    LOGAI_METRICS_PORT: String(ports.JOB_METRICS),
    // the test's own webhook receiver listens on loopback
    LOGAI_ALERTS_ALLOW_PRIVATE_TARGETS: "true",
  };
  delete env.LOGAI_DASHBOARD_URL;
  const log = join(home, "up.console.log");
  const out = createWriteStream(log);
  const child = spawn(join(ROOT, "logai"), ["up"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  let console = "";
  child.stderr.on("data", (d) => (console += d));
  const started = Date.now();
  await new Promise((res, rej) => {
    const timer = setInterval(() => {
      if (console.includes("LogAi is running")) {
        clearInterval(timer);
        res();
      } else if (child.exitCode != null || Date.now() - started > 420_000) {
        clearInterval(timer);
        rej(new Error(`./logai up did not start (exit ${child.exitCode}); its console:\n${console.slice(-4000)}`));
      }
    }, 500);
  });
  process.stdout.write(`# local stack up in ${((Date.now() - started) / 1000).toFixed(0)} s (LOGAI_HOME ${home})\n`);
  const stop = async () => {
    if (child.exitCode == null) {
      child.kill("SIGTERM");
      const deadline = Date.now() + 90_000;
      while (child.exitCode == null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      if (child.exitCode == null) {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {}
      }
    }
    if (!process.env.E2E_KEEP_HOME) rmSync(home, { recursive: true, force: true });
  };
  return { env: readEnv(join(home, "local.env")), dashboardUrl: `http://127.0.0.1:${ports.DASHBOARD}`, stop, home };
}

export { ROOT, existsSync };
