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
        finally:
            server.stop()
        sys.exit(python.returncode or typescript.returncode)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
