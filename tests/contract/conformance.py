"""Property-based conformance of the running server to openapi/openapi.json.

For each database (SQLite, PostgreSQL) and each kind of caller (a viewer's,
an editor's and an administrator's token, an API user's token, an API
client's token with the default scope and one that also manages its owner's
clients, no token), start the real server on a fresh database seeded
with the development personas, and run Schemathesis with every check, a fixed
seed and a bounded number of examples. Runs go `--jobs` at a time (2 unless
told: the machine's cores). Prints one line per run and a closing
`N passed, N failed` line; exits non-zero when any run found a failure.

    python tests/contract/conformance.py [--max-examples 25] [--only sqlite] [--jobs 2]
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("USERS_API_BIN", os.path.join(ROOT, "target", "debug", "users-api"))
ST = os.path.join(os.path.dirname(sys.executable), "st")
CONFIG = os.path.join(os.path.dirname(__file__), "schemathesis.toml")
POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql):
    subprocess.run(["psql", f"{POSTGRES}/postgres", "-qAtc", sql], check=True, capture_output=True)


class Server:
    def __init__(self, backend, workdir):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.db_name = None
        if backend == "postgres":
            self.db_name = f"users_contract_{uuid.uuid4().hex[:12]}"
            psql(f'CREATE DATABASE "{self.db_name}"')
            url = f"{POSTGRES}/{self.db_name}"
        else:
            url = f"sqlite://{os.path.join(workdir, 'users.db')}"
        self.env = dict(
            os.environ,
            DATABASE_URL=url,
            DATA_DIR=workdir,
            BIND=f"127.0.0.1:{self.port}",
            PUBLIC_URL=self.base,
            STATIC_DIR=os.path.join(workdir, "no-spa"),
            APP_ENV="development",
            AUTH_DEV_SIGN_IN="true",
            SIGN_IN_RATE_LIMIT="100000",
            RATE_LIMIT_PER_IP="1000000",
            RATE_LIMIT_PER_TOKEN="1000000",
            # As production requires: /metrics asks for it, and no role here has it.
            METRICS_TOKEN="conformance-metrics-token-0123456789abcdef",
            LOG_FORMAT="json",
            RUST_LOG="warn",
        )
        subprocess.run([BIN, "seed", "--dev"], env=self.env, check=True, capture_output=True)
        self.log = open(os.path.join(workdir, "server.log"), "w")
        self.process = subprocess.Popen([BIN, "serve", "--workers", "2"], env=self.env, stdout=self.log, stderr=self.log)
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{self.base}/health/ready", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not become ready")

    def token(self, email):
        request = urllib.request.Request(
            f"{self.base}/api/v1/auth/dev/sign-in",
            data=json.dumps({"email": email}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request) as response:
            return json.load(response)["access_token"]

    def client_token(self, email, scopes=None):
        """A new API client's token, made by the user with this address (with
        these scopes, or the default)."""
        body = {"name": f"Conformance {uuid.uuid4().hex[:8]}"}
        if scopes:
            body["scopes"] = scopes
        request = urllib.request.Request(
            f"{self.base}/api/v1/api-clients",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token(email)}"},
            method="POST",
        )
        with urllib.request.urlopen(request) as response:
            return json.load(response)["token"]

    def call(self, method, path, token):
        """The JSON answer of a request with this bearer token, or None for
        an answer that is not 2xx."""
        request = urllib.request.Request(
            f"{self.base}{path}", method=method, headers={"Authorization": f"Bearer {token}"}
        )
        try:
            with urllib.request.urlopen(request) as response:
                return json.load(response)
        except urllib.error.HTTPError:
            return None

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)
        self.log.close()
        if self.db_name:
            psql(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')


ROLES = {
    "viewer": "dorothy.vaughan@education.gov.uk",
    "editor": "grace.hopper@education.gov.uk",
    "administrator": "ada.lovelace@education.gov.uk",
    "api": "katherine.johnson@education.gov.uk",
    "client": "katherine.johnson@education.gov.uk",  # an API client token of hers
    "manager": "katherine.johnson@education.gov.uk",  # one that also manages her clients
    "none": None,
}


# The scopes of the API client token each client role sends (None: the default).
CLIENT_SCOPES = {"client": None, "manager": ["api_clients:manage", "providers:read"]}


def run(backend, role, max_examples, seed):
    workdir = tempfile.mkdtemp(prefix=f"users-contract-{backend}-{role}-")
    server = Server(backend, workdir)
    try:
        headers = []
        if role in CLIENT_SCOPES:
            token = server.client_token(ROLES[role], scopes=CLIENT_SCOPES[role])
            headers = ["-H", f"Authorization: Bearer {token}"]
        elif ROLES[role]:
            headers = ["-H", f"Authorization: Bearer {server.token(ROLES[role])}"]
        command = [
            ST, "--config-file", CONFIG, "run", f"{server.base}/api-docs/openapi.json",
            "--url", server.base,
            "--checks", "all",
            "--max-examples", str(max_examples),
            "--seed", str(seed),
            "--phases", "examples,coverage,fuzzing,stateful",
            "--request-timeout", "10",
            "--no-color",
            *headers,
        ]
        result = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=900)
        output = result.stdout + result.stderr
        cases = re.search(r"(\d+) generated", output)
        summary = f"{backend:8} {role:13} {cases.group(1) if cases else '?'} cases"
        if result.returncode != 0:
            print(f"FAIL {summary}\n{output[-6000:]}", flush=True)
            return False
        print(f"ok   {summary}", flush=True)
        return True
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=20251211)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--role", choices=list(ROLES))
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("CONTRACT_JOBS", "2")))
    args = parser.parse_args()
    backends = [args.only] if args.only else ["sqlite", "postgres"]
    roles = [args.role] if args.role else list(ROLES)
    runs = [(backend, role) for backend in backends for role in roles]
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda r: run(*r, args.max_examples, args.seed), runs))
    passed, failed = results.count(True), results.count(False)
    print(f"{passed} passed, {failed} failed in {time.monotonic() - started:.0f} s ({args.jobs} at a time)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
