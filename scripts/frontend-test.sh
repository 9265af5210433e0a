#!/usr/bin/env bash
# The SPA's checks: generated types up to date, tsc, unit tests, the build
# (with its size budget) and the browser tests against the real API binary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/ensure-chromium.sh"
"$root/scripts/frontend-build.sh"
cd "$root/frontend"
npm run --silent check:types-fresh
npm run --silent typecheck
npm test
USERS_API_BIN="$root/target/debug/users-api" npm run --silent test:browser
