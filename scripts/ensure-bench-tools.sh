#!/usr/bin/env bash
# The benchmark's load generator (wrk, pinned to Debian bookworm's build) and
# PostgreSQL's own pgbench (it comes with the server's client package).
set -euo pipefail
WRK_VERSION="4.1.0-3+b2"
installed=$(dpkg-query -W -f='${Version}' wrk 2>/dev/null || true)
if [ "$installed" = "$WRK_VERSION" ] && command -v pgbench >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "install wrk $WRK_VERSION and pgbench (Debian: apt-get install wrk=$WRK_VERSION postgresql-client)" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "wrk=$WRK_VERSION" postgresql-client >/dev/null
