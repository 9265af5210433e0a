// Compiles the TypeScript tests with esbuild and runs them:
//   unit    — tests/unit/*.test.ts with node's test runner
//   browser — tests/browser/main.ts, which drives Chromium against the real API
//   client  — tests/client/smoke.ts: the generated TypeScript client against
//             the live server at USERS_API_URL
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const kind = process.argv[2];
// Inside node_modules so that the compiled tests resolve their packages from it.
const out = join(root, "node_modules", ".cache", "users-frontend-tests", kind ?? "none");

const compile = (entryPoints) =>
  esbuild.build({
    entryPoints,
    outdir: out,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    logLevel: "warning",
  });

rmSync(out, { recursive: true, force: true });
let result;
if (kind === "unit") {
  const dir = join(root, "tests", "unit");
  const files = readdirSync(dir).filter((f) => f.endsWith(".test.ts"));
  await compile(files.map((f) => join(dir, f)));
  const compiled = files.map((f) => join(out, f.replace(/\.ts$/, ".mjs")));
  result = spawnSync(process.execPath, ["--enable-source-maps", "--test", ...compiled], { stdio: "inherit", env: { ...process.env, TZ: "America/New_York" } });
} else if (kind === "browser") {
  await compile([join(root, "tests", "browser", "main.ts")]);
  result = spawnSync(process.execPath, ["--enable-source-maps", join(out, "main.mjs"), ...process.argv.slice(3)], { stdio: "inherit" });
} else if (kind === "client") {
  await compile([join(root, "tests", "client", "smoke.ts")]);
  result = spawnSync(process.execPath, ["--enable-source-maps", join(out, "smoke.mjs")], { stdio: "inherit" });
} else {
  console.error("usage: node scripts/run-tests.mjs unit|browser|client");
  process.exit(2);
}
process.exit(result.status ?? 1);
