/**
 * What the browser tests stand on: the real API binary on a free port with a
 * fresh SQLite database, Debian's Chromium through playwright-core, axe-core,
 * screenshots, and a small runner that ends with `N passed, N failed`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
/** frontend/, whether running from tests/browser or from the compiled copy under node_modules/.cache. */
export const frontendDir = (() => {
  let dir = here;
  while (!existsSync(join(dir, "package.json")) || dir.includes(`${"node_modules"}`)) {
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find frontend/package.json");
    dir = up;
  }
  return dir;
})();

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

export interface Api {
  baseUrl: string;
  stop(): Promise<void>;
  /** Runs `users-api` with the same database (seeding, and so on). */
  cli(...args: string[]): string;
}

export async function startApi(): Promise<Api> {
  const bin = resolve(frontendDir, process.env.USERS_API_BIN ?? "../target/debug/users-api");
  if (!existsSync(bin)) throw new Error(`No API binary at ${bin}: build it with \`cargo build -p users-api\` or set USERS_API_BIN`);
  const dist = join(frontendDir, "dist");
  if (!existsSync(join(dist, "index.html"))) throw new Error("No dist/index.html: run `npm run build` first");
  const dataDir = mkdtempSync(join(tmpdir(), "users-spa-test-"));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    APP_ENV: "development",
    AUTH_DEV_SIGN_IN: "true",
    DATABASE_URL: `sqlite://${join(dataDir, "users.db")}`,
    DATA_DIR: dataDir,
    BIND: `127.0.0.1:${port}`,
    STATIC_DIR: dist,
    LOG_FORMAT: "json",
    RUST_LOG: "warn",
    // Every test signs in and loads pages from 127.0.0.1: lift the per-address
    // limits (sign-in attempts, and requests without credentials).
    SIGN_IN_RATE_LIMIT: "100000",
    RATE_LIMIT_PER_IP: "100000",
  };
  delete env.PUBLIC_URL;
  const cli = (...args: string[]): string => {
    const run = spawnSync(bin, args, { env, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`users-api ${args.join(" ")} failed: ${run.stderr}`);
    return run.stdout;
  };
  cli("seed", "--dev", "--users", "60");
  const server: ChildProcess = spawn(bin, ["serve", "--workers", "2"], { env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  server.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`users-api serve exited: ${stderr}`);
    try {
      if ((await fetch(`${baseUrl}/health/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`users-api did not become ready: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    cli,
    async stop() {
      if (server.exitCode === null) {
        const exited = new Promise((r) => server.once("exit", r));
        server.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (server.exitCode === null) server.kill("SIGKILL");
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) throw new Error(`No Chromium at ${executablePath}: apt-get install -y chromium`);
  // playwright-core gives every launch a fresh, temporary user-data-dir.
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

const axeSource = readFileSync(createRequire(join(frontendDir, "package.json")).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

/** Fails when axe-core finds any violation on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  // Evaluated through the DevTools protocol rather than added as a <script>:
  // the service's Content-Security-Policy (rightly) refuses inline scripts.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const results = await axe.run(document);
    return results.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  if (violations.length > 0) {
    const list = violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`).join("\n  ");
    throw new Error(`axe-core found violations on ${page.url()}:\n  ${list}`);
  }
}

export const screenshotDir = join(frontendDir, "dist", "test-screenshots");

/** A full-page PNG of the page, under dist/test-screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

type TestFn = (t: { browser: Browser; api: Api; context: () => Promise<BrowserContext> }) => Promise<void>;
const tests: { name: string; fn: TestFn }[] = [];

export function test(name: string, fn: TestFn): void {
  tests.push({ name, fn });
}

/** Runs every test in order, each in fresh browser contexts (so an empty memory: no token). */
export async function run(filter?: string): Promise<number> {
  const started = Date.now();
  const api = await startApi();
  const browser = await launchBrowser();
  let passed = 0;
  let failed = 0;
  try {
    for (const { name, fn } of tests) {
      if (filter && !name.includes(filter)) continue;
      const contexts: BrowserContext[] = [];
      const context = async () => {
        const c = await browser.newContext({ baseURL: api.baseUrl, viewport: { width: 1024, height: 768 }, timezoneId: "America/New_York" });
        c.setDefaultTimeout(10_000);
        contexts.push(c);
        return c;
      };
      const t0 = Date.now();
      try {
        await fn({ browser, api, context });
        passed += 1;
        console.log(`ok - ${name} (${Date.now() - t0} ms)`);
      } catch (error) {
        failed += 1;
        console.log(`not ok - ${name}\n  ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`.replace(/\n/g, "\n  "));
      } finally {
        for (const c of contexts) await c.close();
      }
    }
  } finally {
    await browser.close();
    await api.stop();
  }
  console.log(`screenshots: ${screenshotDir}`);
  console.log(`browser tests took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}
