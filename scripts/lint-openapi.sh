#!/usr/bin/env bash
# Lints openapi/openapi.json with Redocly CLI (pinned in tests/contract) and
# the project's ruleset, openapi/redocly.yaml.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/tests/contract"
if [ ! -f "$tools/node_modules/.package-lock.json" ] || [ "$tools/package-lock.json" -nt "$tools/node_modules/.package-lock.json" ]; then
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
fi
cd "$root/openapi"
set +e
output=$(REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$tools/node_modules/.bin/redocly" lint openapi.json --config redocly.yaml 2>&1)
status=$?
set -e
# Drop the Node.js version banner; keep the findings.
printf '%s\n' "$output" | grep -vE '║|╔|╚' | sed '/^\s*$/d'
exit "$status"
