"""Generates the Python client from openapi/openapi.json (openapi-python-client,
pinned in tests/support/requirements.txt), starts the real server on a fresh
SQLite database with the development personas, and runs python_smoke.py and
the TypeScript client's smoke test (frontend/tests/client/smoke.ts).

    python tests/clients/run.py
"""

import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "contract"))

from conformance import Server  # noqa: E402  (the same server harness)


def rotate_own_token(server, work):
    """Runs docs/examples/rotate-own-token.py as the README says; 0 when the
    token file ends up with a new working token and the old one still works
    (its grace period)."""
    token = server.client_token("katherine.johnson@education.gov.uk", scopes=["api_clients:manage", "providers:read"])
    client = server.call("GET", "/api/v1/api-clients", token)["items"]
    client_id = next(c["id"] for c in client if "api_clients:manage" in c["scopes"])
    path = os.path.join(work, "token.txt")
    with open(path, "w") as f:
        f.write(token + "\n")
    example = os.path.join(ROOT, "docs", "examples", "rotate-own-token.py")
    env = dict(os.environ, USERS_API_URL=server.base, CLIENT_ID=client_id)
    result = subprocess.run([sys.executable, example, path], env=env, capture_output=True, text=True)
    with open(path) as f:
        new = f.read().strip()
    ok = (
        result.returncode == 0
        and new != token
        and server.call("GET", "/api/v1/providers", new) is not None
        and server.call("GET", "/api/v1/providers", token) is not None
    )
    print(f"rotate-own-token example: {'1 passed, 0 failed' if ok else 'FAILED'} {result.stdout.strip()} {result.stderr.strip()}")
    return 0 if ok else 1


def main():
    work = tempfile.mkdtemp(prefix="users-clients-")
    try:
        config = os.path.join(work, "config.yaml")
        with open(config, "w") as f:
            f.write("post_hooks: []\n")
        subprocess.run(
            [os.path.join(os.path.dirname(sys.executable), "openapi-python-client"), "generate",
             "--path", os.path.join(ROOT, "openapi", "openapi.json"), "--meta", "none",
             "--output-path", os.path.join(work, "users_api_client"), "--config", config],
            check=True, capture_output=True,
        )
        server = Server("sqlite", work)
        try:
            env = dict(os.environ, USERS_API_URL=server.base, PYTHONPATH=work)
            python = subprocess.run([sys.executable, os.path.join(HERE, "python_smoke.py")], env=env)
            typescript = subprocess.run(
                ["node", os.path.join(ROOT, "frontend", "scripts", "run-tests.mjs"), "client"], env=env
            )
            rotation = rotate_own_token(server, work)
        finally:
            server.stop()
        sys.exit(python.returncode or typescript.returncode or rotation)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
