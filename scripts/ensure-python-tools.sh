#!/usr/bin/env bash
# A local virtual environment (.venv) with the pinned Python tools the tests
# use: aiosmtpd, the SMTP server the email tests deliver to.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
stamp="$venv/.requirements"
if [ -x "$venv/bin/python" ] && cmp -s "$root/tests/support/requirements.txt" "$stamp"; then exit 0; fi
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/tests/support/requirements.txt"
cp "$root/tests/support/requirements.txt" "$stamp"
