#!/usr/bin/env python3
"""Rotates an API client's own token, for a system to run on a schedule
(cron, a Kubernetes CronJob) without an outage.

The client needs the scope `api_clients:manage` (and whatever else it does,
say `providers:read`). The script reads the current token from a file,
asks the service for a new one with that token, checks the new token works,
then replaces the file atomically. The old token keeps working for the
grace period (`API_CLIENT_ROTATION_GRACE`, 24 hours unless configured), so
processes that still hold it carry on until they read the file again.

    USERS_API_URL=https://users.example.gov.uk \\
    CLIENT_ID=0193b0c2-7a1e-7c4e-9f3a-1c2d3e4f5a6b \\
    python3 rotate-own-token.py /run/secrets/users-api-token

Standard library only. Exits non-zero, leaving the file as it was, when
anything fails.
"""

import json
import os
import sys
import tempfile
import urllib.error
import urllib.request


def call(method, url, token):
    request = urllib.request.Request(url, method=method, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, {}


def main(path):
    base = os.environ["USERS_API_URL"].rstrip("/")
    client_id = os.environ["CLIENT_ID"]
    with open(path, encoding="ascii") as f:
        old = f.read().strip()
    status, answer = call("POST", f"{base}/api/v1/api-clients/{client_id}/rotate", old)
    if status != 200:
        sys.exit(f"rotation answered {status}")
    new = answer["token"]
    # The new token must work before the old one is forgotten.
    status, _ = call("GET", f"{base}/api/v1/api-clients/{client_id}", new)
    if status != 200:
        sys.exit(f"the new token answered {status}")
    folder = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, encoding="ascii") as f:
        f.write(new + "\n")
    os.chmod(f.name, 0o600)
    os.replace(f.name, path)
    until = answer["client"]["previous_token_expires_at"]
    print(f"rotated; the old token works until {until}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: rotate-own-token.py TOKEN_FILE")
    main(sys.argv[1])
