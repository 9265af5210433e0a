#!/usr/bin/env bash
# Builds the SPA into frontend/dist, installing its packages from the lock
# file when they are missing or older than it.
set -euo pipefail
cd "$(dirname "$0")/../frontend"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
