// Fails when src/api/schema.d.ts is not what openapi-typescript makes from
// ../openapi/openapi.json now (run `npm run generate` and commit the result).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const committed = join(root, "src", "api", "schema.d.ts");
const dir = mkdtempSync(join(tmpdir(), "users-schema-"));
const fresh = join(dir, "schema.d.ts");
try {
  execFileSync(join(root, "node_modules", ".bin", "openapi-typescript"), [join(root, "..", "openapi", "openapi.json"), "-o", fresh], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (readFileSync(fresh, "utf8") !== readFileSync(committed, "utf8")) {
    console.error("src/api/schema.d.ts is stale: run `npm run generate` and commit the result.");
    process.exit(1);
  }
  console.log("src/api/schema.d.ts matches ../openapi/openapi.json");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
