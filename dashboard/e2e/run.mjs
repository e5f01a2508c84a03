// The browser tests (node's own test runner): ./logai test runs `npm run e2e`.
import { spawnSync } from "node:child_process";
const r = spawnSync(process.execPath, ["--test", "--test-concurrency=1", "--test-reporter=spec", "e2e/dashboard.e2e.mjs"], {
  stdio: "inherit",
  cwd: new URL("..", import.meta.url).pathname,
});
process.exit(r.status ?? 1);
