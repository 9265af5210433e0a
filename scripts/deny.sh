#!/usr/bin/env bash
# cargo-deny, pinned, built once into target/tools: licences, bans and
# sources always; advisories when the RustSec database can be fetched (it
# lives on GitHub, which some build machines cannot reach). deny.toml says
# what is allowed and why.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION="0.20.2"
ROOT="target/tools"
DENY="$ROOT/bin/cargo-deny"
if ! "$DENY" --version 2>/dev/null | grep -qx "cargo-deny $VERSION"; then
  echo "building cargo-deny $VERSION (once)"
  cargo install --quiet --locked --root "$ROOT" --version "$VERSION" cargo-deny
fi
"$DENY" --log-level error check licenses bans sources
if timeout 60 "$DENY" --log-level error fetch db >/dev/null 2>&1; then
  "$DENY" --log-level error check advisories
else
  echo "cargo-deny: the RustSec advisory database cannot be fetched from here; advisories not checked"
fi
