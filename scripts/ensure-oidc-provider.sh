#!/usr/bin/env bash
# The test OpenID Connect provider's packages (tests/support/oidc: npm's
# oidc-provider, pinned by its lock file), installed when missing or older
# than the lock file. The OIDC integration tests start it with Node.
set -euo pipefail
cd "$(dirname "$0")/../tests/support/oidc"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
