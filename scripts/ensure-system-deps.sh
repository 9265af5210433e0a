#!/usr/bin/env bash
# The Rust build links libpq (Diesel's PostgreSQL backend); SQLite is bundled.
set -euo pipefail
if command -v pg_config >/dev/null 2>&1 || [ -e /usr/lib/x86_64-linux-gnu/libpq.so ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "libpq is missing: install it (Debian: apt-get install libpq-dev)" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpq-dev >/dev/null
