// Playwright drives Debian's Chromium against the built server, started on a free port
// with a throwaway SQLite database and the demo data.
import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(__dirname, "..");
// Workers evaluate this file again: fix the port and data directory once, in the main
// process, through the environment the workers inherit.
process.env.E2E_PORT ??= String(3100 + Math.floor(Math.random() * 800));
process.env.E2E_DATA ??= mkdtempSync(join(tmpdir(), "genius365-e2e-"));
const port = Number(process.env.E2E_PORT);
const data = process.env.E2E_DATA;
const server = process.env.E2E_SERVER ?? join(root, "target/debug/server");
const simulators = process.env.E2E_SIMULATORS ?? join(root, "target/debug/simulators");
// The VAPI and Retell simulators listen beside the server, the DNS simulator on the next
// (UDP) port.
const simPort = port + 1000;
const dnsPort = simPort + 1;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  outputDir: "./test-results",
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        // Custom domains the tests prove through the loopback DNS server reach this
        // machine, as their CNAME would send a real browser.
        "--host-resolver-rules=MAP *.e2e.test 127.0.0.1",
      ],
    },
  },
  // "no-js" runs the tests tagged @no-js again with scripts switched off: the pages they
  // read must work without them. With E2E_WEIGH set, only the first-load weight runs, on
  // a release build (scripts/size).
  projects: process.env.E2E_WEIGH
    ? [{ name: "weight", testMatch: /weight\.spec\.ts/ }]
    : [
        { name: "chromium", testIgnore: /weight\.spec\.ts/ },
        { name: "no-js", grep: /@no-js/, testIgnore: /weight\.spec\.ts/, use: { javaScriptEnabled: false } },
      ],
  webServer: [
    {
      command: `exec "${simulators}" --port ${simPort} --dns-port ${dnsPort}`,
      // Any answer means it is up (this one is VAPI's 401 for a missing key).
      url: `http://127.0.0.1:${simPort}/assistant`,
      timeout: 30_000,
      reuseExistingServer: false,
    },
    {
    command: `"${server}" seed-demo && exec "${server}" serve --addr 127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/api/health`,
    cwd: root,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_URL: `sqlite://${data}/e2e.db?mode=rwc`,
      DATA_DIR: data,
      APP_URL: `http://localhost:${port}`,
      LEPTOS_SITE_ROOT: join(root, "target/site"),
      LEPTOS_OUTPUT_NAME: "genius365",
      RUST_LOG: "warn",
      // Nothing may call out: the providers are the loopback simulators.
      VAPI_BASE_URL: `http://127.0.0.1:${simPort}`,
      RETELL_BASE_URL: `http://127.0.0.1:${simPort}`,
      RETELL_WEB_CALL_URL: `ws://127.0.0.1:${simPort}`,
      ALGOLIA_BASE_URL: `http://127.0.0.1:${simPort}`,
      DNS_RESOLVER: `127.0.0.1:${dnsPort}`,
      // Sandbox campaign calls end after a second and a half, so a page can watch them.
      SANDBOX_CALL_MS: "1500",
    },
    },
  ],
});

