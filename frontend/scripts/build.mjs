// Builds the SPA into dist/: the app bundle (esbuild), index.html, and
// GOV.UK Frontend's published CSS, JavaScript, fonts and images under
// dist/assets/ (where its CSS expects them). Fails when the app's own
// JavaScript is over the size budget.
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const assets = join(dist, "assets");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const BUDGET_BYTES = 50 * 1024;
const dev = process.argv.includes("--dev");

// GOV.UK Frontend's JavaScript is loaded from its own published file, not bundled.
const govukFrontendExternal = {
  name: "govuk-frontend-external",
  setup(build) {
    build.onResolve({ filter: /^govuk-frontend$/ }, () => ({ path: "/assets/govuk-frontend.min.js", external: true }));
  },
};

rmSync(dist, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

await esbuild.build({
  entryPoints: [join(root, "src", "main.ts")],
  outfile: join(assets, "app.js"),
  bundle: true,
  format: "esm",
  target: ["es2022"],
  minify: !dev,
  sourcemap: dev ? "linked" : false,
  legalComments: "none",
  plugins: [govukFrontendExternal],
  logLevel: "warning",
});

cpSync(join(govuk, "assets"), assets, { recursive: true });
for (const file of ["govuk-frontend.min.css", "govuk-frontend.min.js"]) cpSync(join(govuk, file), join(assets, file));
cpSync(join(root, "src", "app.css"), join(assets, "app.css"));

// A content hash in the app's address, so a new build is never served from an old cache.
const app = readFileSync(join(assets, "app.js"));
const version = createHash("sha256").update(app).digest("hex").slice(0, 12);
const index = readFileSync(join(root, "index.html"), "utf8").replace('src="/assets/app.js"', `src="/assets/app.js?v=${version}"`);
writeFileSync(join(dist, "index.html"), index);

const gzipped = gzipSync(app, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`app.js: ${kb(app.length)} minified, ${kb(gzipped)} gzipped (budget ${kb(BUDGET_BYTES)})`);
if (gzipped > BUDGET_BYTES) {
  console.error(`The app's own JavaScript is over its budget of ${kb(BUDGET_BYTES)} gzipped.`);
  process.exit(1);
}
