#!/usr/bin/env python3
"""`make bench`: seed a million users, serve them from a release build and
measure it with wrk, next to pgbench running the same SQL on the same
database in the same run.

Each scenario runs for --duration seconds at --connections connections after
a short warm-up. Results go to bench/results.json, and the table between the
markers in BENCHMARKS.md is rewritten from them.

    python3 bench/run.py                      # both backends, 1,000,000 users
    python3 bench/run.py --backend postgres --only get_user,list_page_1
    python3 bench/run.py --users 100000 --duration 5   # a quick look

The seeded databases are kept (PostgreSQL database users_bench, SQLite file
target/bench/bench.db) and reused while they hold at least --users users;
--reseed starts them again.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = ROOT / "target" / "bench"
# BENCH_BINARY measures another build (an earlier commit's, for a before/after).
BINARY = Path(os.environ.get("BENCH_BINARY", ROOT / "target" / "release" / "users-api"))
PORT = 18089
BASE = f"http://127.0.0.1:{PORT}"
PG_BASE = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
# BENCH_PG_DATABASE gives a before/after pair a database each, so that an
# earlier build never meets a schema migrated past its own.
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "users_bench")
SUPPORT_EMAIL = "bench.support@education.gov.uk"
API_EMAIL = "bench.api@education.gov.uk"
MARK_START = "<!-- bench:results:start -->"
MARK_END = "<!-- bench:results:end -->"


@dataclass
class Scenario:
    """One row of the table: what wrk sends, and the SQL pgbench runs for it."""

    name: str
    title: str
    mix: str = "path:1"
    path: str = "/"
    token: str | None = "support"
    pgbench: str | None = None
    writes: bool = False


SCENARIOS = [
    Scenario("health_live", "GET /health/live (framework ceiling)", path="/health/live", token=None),
    Scenario("get_user", "GET /users/{id}", mix="get_user:1", pgbench="get_user.sql"),
    Scenario("list_page_1", "GET /users?page=1", path="/api/v1/users?page=1", pgbench="list_page_1.sql"),
    Scenario("list_cursor_deep", "GET /users?cursor= (row ~999,975)", path="/api/v1/users?cursor={deep_cursor}",
             pgbench="list_cursor.sql"),
    Scenario("list_offset_40000", "GET /users?page=1601 (OFFSET 40,000)", path="/api/v1/users?page=1601",
             pgbench="list_offset.sql"),
    Scenario("list_search", "GET /users?q=jack ah (prefix search)", path="/api/v1/users?q=jack%20ah",
             pgbench="list_search.sql"),
    Scenario("list_filtered", "GET /users?status=inactive&type=support",
             path="/api/v1/users?status=inactive&type=support", pgbench="list_filtered.sql"),
    Scenario("providers", "GET /providers (client token)", path="/api/v1/providers", token="client",
             pgbench="providers.sql"),
    Scenario("create_user", "POST /users (+ outbox, activity)", mix="create:1", pgbench="create_user.sql",
             writes=True),
    Scenario("update_user", "PATCH /users/{id} (+ activity)", mix="patch:1", pgbench="update_user.sql",
             writes=True),
    Scenario("mixed_90_10", "90 % reads / 10 % writes", mix="get_user:45,list:45,create:5,patch:5", writes=True),
]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(command: list[str], env: dict[str, str] | None = None, capture: bool = False, check: bool = True,
        timeout: float | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, check=check, text=True, timeout=timeout,
                          stdout=subprocess.PIPE if capture else None, stderr=subprocess.PIPE if capture else None)


def psql(sql: str, database: str = PG_DATABASE) -> str:
    result = run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", f"{PG_BASE}/{database}", "-c", sql],
                 capture=True)
    return result.stdout.strip()


def drop_database(name: str) -> None:
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", "postgres")


def recreate_database(name: str) -> None:
    """An empty PostgreSQL database called `name`, in place of any before."""
    drop_database(name)
    psql(f"CREATE DATABASE {name}", "postgres")


# --- the databases ---------------------------------------------------------


class Backend:
    name: str

    def database_url(self) -> str:
        raise NotImplementedError

    def seeded_users(self) -> int:
        raise NotImplementedError

    def reset(self) -> None:
        raise NotImplementedError

    def settle(self) -> None:
        """Brings the database to the same steady state before every run,
        whatever earlier runs wrote."""
        raise NotImplementedError

    def sql(self, statement: str) -> str:
        raise NotImplementedError

    def cli(self, *args: str, database_url: str | None = None) -> subprocess.CompletedProcess:
        env = server_env(self)
        if database_url:
            env["DATABASE_URL"] = database_url
        return run([str(BINARY), *args], env=env, capture=True)

    def indexes(self, database_url: str) -> set[str]:
        """Each index of the database at `database_url`, as its definition."""
        raise NotImplementedError

    def scratch(self) -> tuple[str, Callable[[], None]]:
        """An empty database of this kind, and how to remove it."""
        raise NotImplementedError

    def check_indexes(self) -> None:
        """Refuses to measure a database whose indexes are not the
        migrations' own. An index left behind by an experiment (or one a
        migration has since dropped) changes what every scenario measures,
        and nothing else would show it."""
        url, remove = self.scratch()
        try:
            self.cli("migrate", database_url=url)
            expected = self.indexes(url)
        finally:
            remove()
        found = self.indexes(self.database_url())
        extra, missing = sorted(found - expected), sorted(expected - found)
        if extra or missing:
            lines = [f"{self.name}: the benchmark database's indexes are not the migrations' own"]
            lines += [f"  not made by any migration: {d}" for d in extra]
            lines += [f"  missing: {d}" for d in missing]
            lines.append("  drop or recreate them, or start again with --reseed")
            raise SystemExit("\n".join(lines))

    def seed(self, users: int, providers: int, reseed: bool) -> dict:
        """Seeds through the CLI unless a big enough seed is already there."""
        have = 0 if reseed else self.seeded_users()
        if have >= users:
            log(f"{self.name}: reusing the seeded database ({have:,} users)")
            return {"reused": True, "users": have}
        self.reset()
        started = time.monotonic()
        self.cli("migrate")
        result = self.cli("seed", "--users", str(users), "--providers", str(providers))
        seconds = time.monotonic() - started
        log(f"{self.name}: seeded {users:,} users and {providers:,} providers in {seconds:.1f} s")
        log(result.stdout.strip() or result.stderr.strip())
        return {"reused": False, "users": users, "providers": providers, "seconds": round(seconds, 1)}


class Postgres(Backend):
    name = "postgres"

    def database_url(self) -> str:
        return f"{PG_BASE}/{PG_DATABASE}"

    def seeded_users(self) -> int:
        exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{PG_DATABASE}'", "postgres")
        if not exists:
            return 0
        try:
            return int(psql("SELECT count(*) FROM users WHERE deleted_at IS NULL") or 0)
        except subprocess.CalledProcessError:
            return 0

    def reset(self) -> None:
        recreate_database(PG_DATABASE)

    def settle(self) -> None:
        # Earlier runs' creates and updates leave dead rows, and this
        # machine's PostgreSQL runs with autovacuum off: without this, one
        # run measures the next one's leftovers.
        psql("VACUUM (ANALYZE)")
        # The vacuum leaves the pages it set hints on dirty. Written back
        # while a scenario runs, they cost it the disk and a kernel thread's
        # CPU: the first scenario of a run measured a third of its rate.
        psql("CHECKPOINT")

    def sql(self, statement: str) -> str:
        return psql(statement)

    def indexes(self, database_url: str) -> set[str]:
        database = database_url.rsplit("/", 1)[1]
        # The bench's own tables (bench_ids) are not the service's.
        listed = psql("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'"
                      " AND tablename NOT LIKE 'bench\\_%'", database)
        return set(listed.splitlines())

    def scratch(self) -> tuple[str, Callable[[], None]]:
        name = f"{PG_DATABASE}_schema"
        recreate_database(name)
        return f"{PG_BASE}/{name}", lambda: drop_database(name)


class Sqlite(Backend):
    name = "sqlite"
    path = WORK / "bench.db"

    def database_url(self) -> str:
        return f"sqlite://{self.path}"

    def seeded_users(self) -> int:
        if not self.path.exists():
            return 0
        try:
            return int(self.sql("SELECT count(*) FROM users WHERE deleted_at IS NULL") or 0)
        except Exception:  # noqa: BLE001 - an unreadable file is reseeded
            return 0

    def reset(self) -> None:
        remove_sqlite(self.path)

    def settle(self) -> None:
        self.sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def sql(self, statement: str, path: Path | None = None) -> str:
        import sqlite3

        with sqlite3.connect(path or self.path, timeout=30) as db:
            rows = db.execute(statement).fetchall()
        return "\n".join("|".join(str(v) for v in row) for row in rows)

    def indexes(self, database_url: str) -> set[str]:
        path = Path(database_url.removeprefix("sqlite://"))
        # SQLite's own indexes (of UNIQUE and PRIMARY KEY) have no SQL text.
        listed = self.sql("SELECT name || ': ' || COALESCE(sql, 'automatic') FROM sqlite_master"
                          " WHERE type = 'index' AND tbl_name NOT LIKE 'bench\\_%' ESCAPE '\\'", path)
        return set(listed.splitlines())

    def scratch(self) -> tuple[str, Callable[[], None]]:
        path = WORK / "schema.db"
        remove_sqlite(path)
        return f"sqlite://{path}", lambda: remove_sqlite(path)


def remove_sqlite(path: Path) -> None:
    """Removes a SQLite database and its write-ahead log."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- the server ------------------------------------------------------------


def server_env(backend: Backend) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": backend.database_url(),
        "BIND": f"127.0.0.1:{PORT}",
        "APP_ENV": "development",
        "AUTH_DEV_SIGN_IN": "true",
        "JWT_SECRET": "bench-only-secret-bench-only-secret-0123456789",
        "DATA_DIR": str(WORK / "data"),
        "MAIL_DIR": str(WORK / "mail" / backend.name),
        "STATIC_DIR": str(ROOT / "frontend" / "dist"),
        "LOG_FORMAT": "json",
        # The limits would refuse a benchmark's traffic; their database
        # counters are still written on every client-token request.
        "RATE_LIMIT_PER_TOKEN": "1000000",
        "RATE_LIMIT_PER_IP": "1000000",
        "SIGN_IN_RATE_LIMIT": "100000",
    })
    # The pool is the service's default (10 connections) unless DB_POOL_SIZE
    # is set: BENCHMARKS.md has a run at 3, 4, 6, 10 and 16.
    return env


class Server:
    def __init__(self, backend: Backend):
        self.backend = backend
        self.log_path = WORK / f"server-{backend.name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> float:
        """Starts `serve --no-migrate` and returns the ms until /health/ready is 200."""
        log_file = open(self.log_path, "w")  # noqa: SIM115 - closed with the process
        started = time.monotonic()
        self.process = subprocess.Popen([str(BINARY), "serve", "--no-migrate"], env=server_env(self.backend),
                                        stdout=log_file, stderr=subprocess.STDOUT)
        deadline = started + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited: see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{BASE}/health/ready", timeout=1) as reply:
                    if reply.status == 200:
                        return (time.monotonic() - started) * 1000
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.002)
        raise SystemExit("the server was not ready within 30 s")

    def rss_kib(self) -> int:
        return self.memory_kib()[0]

    def memory_kib(self) -> tuple[int, int]:
        """Resident memory, and the private part of it (RssAnon). On SQLite
        they differ: the database file is memory-mapped by every pooled
        connection, and its pages count in the resident size once for each
        connection that touched them, though they are the kernel's shared
        page cache rather than the process's own memory."""
        assert self.process is not None
        fields: dict[str, int] = {}
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "RssAnon"):
                    fields[name] = int(value.split()[0])
        return fields.get("VmRSS", 0), fields.get("RssAnon", 0)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def call(method: str, path: str, token: str | None = None, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{BASE}{path}", data=data, method=method)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=120) as reply:
        return json.loads(reply.read() or b"{}")


def sign_in(email: str) -> tuple[str, str]:
    # After a heavy scenario the server may still be draining its queue (a
    # sign-in is a write): wait for it rather than fail the run.
    for attempt in range(10):
        try:
            answer = call("POST", "/api/v1/auth/dev/sign-in", body={"email": email})
            return answer["access_token"], answer["user"]["id"]
        except urllib.error.HTTPError as error:
            if error.code != 503 or attempt == 9:
                raise
            time.sleep(1)
    raise AssertionError("unreachable")


# --- measuring -------------------------------------------------------------


@dataclass
class Context:
    backend: Backend
    server: Server
    connections: int
    duration: int
    run_word: str
    ids_file: Path
    deep_cursor: str = ""
    deep_position: tuple[str, str, str] = ("", "", "")
    support_id: str = ""
    client_token: str = ""
    client_hash: str = ""
    client_id: str = ""
    tokens: dict[str, str] = field(default_factory=dict)


def wrk(ctx: Context, scenario: Scenario, seconds: int, out: Path) -> dict:
    token = ""
    if scenario.token == "support":
        token = support_token(ctx)
    elif scenario.token == "client":
        token = ctx.client_token
    env = dict(os.environ)
    env.update({
        "BENCH_TOKEN": token,
        "BENCH_MIX": scenario.mix,
        "BENCH_PATH": scenario.path.format(deep_cursor=urllib.parse.quote(ctx.deep_cursor)),
        "BENCH_IDS": str(ctx.ids_file),
        "BENCH_RUN": f"{ctx.run_word}{int(time.time() * 1000) % 10_000_000}",
        "BENCH_OUT": str(out),
    })
    threads = min(2, ctx.connections)
    run(["wrk", f"-t{threads}", f"-c{ctx.connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(BENCH / "wrk" / "scenario.lua"), BASE], env=env, capture=True, timeout=seconds + 60)
    return json.loads(out.read_text())


def support_token(ctx: Context) -> str:
    """A support user's access token, signed in again when it is 10 minutes
    old (they last 15), so no sign-in lands between two scenarios."""
    token, at = ctx.tokens.get("support", ""), float(ctx.tokens.get("support_at", "0"))
    if not token or time.monotonic() - at > 600:
        token, _ = sign_in(SUPPORT_EMAIL)
        ctx.tokens.update({"support": token, "support_at": str(time.monotonic())})
    return token


def pgbench(ctx: Context, script: str) -> dict:
    variables = {
        "caller": ctx.support_id,
        "client_hash": ctx.client_hash,
        "client_id": ctx.client_id,
        "cursor_first": ctx.deep_position[0],
        "cursor_last": ctx.deep_position[1],
        "cursor_id": ctx.deep_position[2],
        # The values the list scripts bind where the API does.
        "one": "1",
        "zero": "0",
        "limit": "26",
        "deep_offset": "40000",
        "q_from": "jack ah",
        "q_to": "jack ai",
        "no": "f",
    }
    command = ["pgbench", "-n", "-M", "prepared", "-c", str(ctx.connections), "-j", "2", "-T", str(ctx.duration),
               "-f", str(BENCH / "pgbench" / script)]
    for name, value in variables.items():
        command += ["-D", f"{name}={value}"]
    command.append(f"{PG_BASE}/{PG_DATABASE}")
    result = run(command, capture=True, timeout=ctx.duration + 120)
    tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", result.stdout)
    latency = re.search(r"latency average = ([0-9.]+) ms", result.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", result.stdout)
    if not tps:
        raise SystemExit(f"pgbench printed no rate:\n{result.stdout}\n{result.stderr}")
    return {
        "tps": round(float(tps.group(1)), 1),
        "latency_avg_ms": float(latency.group(1)) if latency else None,
        "failed": int(failed.group(1)) if failed else 0,
    }


def drain(ctx: Context) -> float:
    """Waits (up to 60 s) until the server answers a list request within a
    second: work queued by the last scenario's slow requests must not be
    charged to the next one. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < 60:
        try:
            asked = time.monotonic()
            call("GET", "/api/v1/users?per_page=1", support_token(ctx))
            if time.monotonic() - asked < 1:
                break
        except (urllib.error.URLError, TimeoutError):
            pass
        time.sleep(0.5)
    return round(time.monotonic() - started, 1)


def measure(ctx: Context, scenario: Scenario) -> dict:
    samples: list[int] = []
    stop = threading.Event()

    def sample_rss() -> None:
        while not stop.is_set():
            try:
                samples.append(ctx.server.memory_kib())
            except OSError:
                return
            stop.wait(0.25)

    out = WORK / f"wrk-{ctx.backend.name}-{scenario.name}.json"
    wrk(ctx, scenario, 2, out)  # warm-up: caches, pool, JIT-free but page cache matters
    sampler = threading.Thread(target=sample_rss, daemon=True)
    sampler.start()
    figures = wrk(ctx, scenario, ctx.duration, out)
    stop.set()
    sampler.join()
    seconds = figures["duration_us"] / 1e6
    errors = figures["errors"]
    result = {
        "title": scenario.title,
        "requests": figures["requests"],
        "rps": round(figures["requests"] / seconds, 1),
        "p50_ms": round(figures["p50_us"] / 1000, 2),
        "p90_ms": round(figures["p90_us"] / 1000, 2),
        "p99_ms": round(figures["p99_us"] / 1000, 2),
        "max_ms": round(figures["max_us"] / 1000, 2),
        "errors": sum(errors.values()),
        "error_kinds": {k: v for k, v in errors.items() if v},
        "rss_peak_mib": round(max((rss for rss, _ in samples), default=0) / 1024, 1),
        "private_peak_mib": round(max((anon for _, anon in samples), default=0) / 1024, 1),
    }
    result["drained_s"] = drain(ctx)
    if ctx.backend.name == "postgres" and scenario.pgbench:
        result["pgbench"] = pgbench(ctx, scenario.pgbench)
        result["ratio_to_pgbench"] = round(result["rps"] / result["pgbench"]["tps"], 3)
    line = (f"{ctx.backend.name:8} {scenario.name:18} {result['rps']:>9.1f} req/s  p50 {result['p50_ms']:>7.2f} ms  "
            f"p99 {result['p99_ms']:>7.2f} ms  errors {result['errors']}  rss {result['rss_peak_mib']} MiB "
            f"(private {result['private_peak_mib']} MiB)")
    if "pgbench" in result:
        line += f"  pgbench {result['pgbench']['tps']:.1f} tps (x{result['ratio_to_pgbench']:.2f})"
    log(line)
    return result


def prepare(ctx: Context) -> None:
    """Personas, a client token, the id sample and the deep cursor."""
    backend = ctx.backend
    for email, api in ((SUPPORT_EMAIL, False), (API_EMAIL, True)):
        if not backend.sql(f"SELECT id FROM users WHERE email = '{email}' AND deleted_at IS NULL"):
            args = ["create-user", "--first-name", "Bench", "--last-name", "Support" if not api else "Api",
                    "--email", email]
            if api:
                args.append("--api-user")
            backend.cli(*args)
    ctx.support_id = backend.sql(f"SELECT id FROM users WHERE email = '{SUPPORT_EMAIL}' AND deleted_at IS NULL")
    api_token, _ = sign_in(API_EMAIL)
    client = call("POST", "/api/v1/api-clients", api_token,
                  {"name": f"Bench {ctx.run_word} {int(time.time())}"})
    ctx.client_token = client["token"]
    ctx.client_id = client["id"]
    ctx.client_hash = backend.sql(f"SELECT token_hash FROM api_clients WHERE id = '{client['id']}'")

    sample = backend.sql("SELECT id FROM users WHERE deleted_at IS NULL AND email LIKE '%@education.gov.uk' "
                         "AND email NOT LIKE 'pgbench.%' "
                         "ORDER BY random() LIMIT 1000")
    ctx.ids_file.write_text(sample + "\n")
    if backend.name == "postgres":
        backend.sql("DROP TABLE IF EXISTS bench_ids")
        backend.sql("CREATE TABLE bench_ids (n INTEGER PRIMARY KEY, id TEXT COLLATE \"C\" NOT NULL)")
        values = ",".join(f"({n}, '{uid}')" for n, uid in enumerate(sample.split(), start=1))
        backend.sql(f"INSERT INTO bench_ids (n, id) VALUES {values}")
        backend.sql("ANALYZE")

    # Emails queued by earlier runs are delivered by this server's worker;
    # they are waited for, so that no scenario shares the machine with them.
    for _ in range(240):
        queued = int(backend.sql("SELECT count(*) FROM outbox_emails WHERE status = 'queued'") or 0)
        if queued == 0:
            break
        time.sleep(0.5)
    else:
        log(f"{backend.name}: {queued:,} emails still queued; measuring anyway")

    support_token, _ = sign_in(SUPPORT_EMAIL)
    total = call("GET", "/api/v1/users?per_page=1", support_token)["total"]
    target_row = min(999_975, max(total - 25, 0))
    page = call("GET", f"/api/v1/users?per_page=25&page={target_row // 25}", support_token)
    ctx.deep_cursor = page["next_cursor"] or ""
    last = page["items"][-1]
    keys = backend.sql(f"SELECT first_name_key, last_name_key, id FROM users WHERE id = '{last['id']}'")
    ctx.deep_position = tuple(keys.split("|"))  # type: ignore[assignment]
    log(f"{backend.name}: {total:,} users; cursor after row {target_row:,}")


def machine() -> dict:
    model = ""
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        mem_kib = int(meminfo.readline().split()[1])
    lock = (ROOT / "Cargo.lock").read_text()
    sqlite = re.search(r'name = "libsqlite3-sys"\nversion = "([^"]+)"', lock)
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "postgres": psql("SHOW server_version", "postgres"),
        "postgres_settings": {name: psql(f"SHOW {name}", "postgres")
                              for name in ("shared_buffers", "synchronous_commit", "max_connections")},
        "libsqlite3_sys": sqlite.group(1) if sqlite else None,
        "wrk": run(["wrk", "--version"], capture=True, check=False).stdout.split("[")[0].strip(),
        "pgbench": run(["pgbench", "--version"], capture=True).stdout.strip(),
    }


def render_table(results: dict) -> str:
    rows = ["| Scenario | Backend | req/s | p50 ms | p99 ms | errors | pgbench tps | API / pgbench "
            "| peak RSS MiB (private) |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name in [s.name for s in SCENARIOS]:
        for backend, figures in results["backends"].items():
            r = figures["scenarios"].get(name)
            if not r:
                continue
            pg = r.get("pgbench")
            pg_tps = f"{pg['tps']:,.0f}" if pg else "–"
            ratio = f"{r['ratio_to_pgbench']:.0%}" if pg else "–"
            rows.append(f"| {r['title']} | {backend} | {r['rps']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
                        f"{r['errors']} | {pg_tps} | {ratio} | {r['rss_peak_mib']} ({r['private_peak_mib']}) |")
    lines = [
        f"Run {results['finished_at']} on commit `{results['commit'][:12]}`: {results['users']:,} users, "
        f"{results['connections']} connections, {results['duration_s']} s a scenario.",
        "",
        *rows,
        "",
    ]
    for backend, figures in results["backends"].items():
        lines.append(f"- {backend}: ready {figures['ready_ms']:.0f} ms after start; seed: {figures['seed']}.")
    return "\n".join(lines)


def update_markdown(results: dict) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else f"# Benchmarks\n\n{MARK_START}\n{MARK_END}\n"
    if MARK_START not in text:
        text += f"\n{MARK_START}\n{MARK_END}\n"
    before, rest = text.split(MARK_START, 1)
    _, after = rest.split(MARK_END, 1)
    path.write_text(f"{before}{MARK_START}\n{render_table(results)}\n{MARK_END}{after}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--providers", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=10, help="seconds a scenario")
    parser.add_argument("--only", help="comma-separated scenario names")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--out", default=str(BENCH / "results.json"))
    parser.add_argument("--no-markdown", action="store_true", help="leave BENCHMARKS.md alone")
    args = parser.parse_args()

    if not BINARY.exists():
        raise SystemExit(f"{BINARY} is missing: run `cargo build --release -p users-api` (make bench does)")
    for tool in ("wrk", "pgbench", "psql"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: run scripts/ensure-bench-tools.sh (make bench does)")
    WORK.mkdir(parents=True, exist_ok=True)
    chosen = [s for s in SCENARIOS if not args.only or s.name in args.only.split(",")]
    backends: list[Backend] = {"postgres": [Postgres()], "sqlite": [Sqlite()],
                               "both": [Postgres(), Sqlite()]}[args.backend]
    results = {
        "started_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture=True).stdout.strip(),
        "binary": str(BINARY),
        "users": args.users,
        "providers": args.providers,
        "connections": args.connections,
        "duration_s": args.duration,
        "machine": machine(),
        "backends": {},
    }
    for backend in backends:
        seed = backend.seed(args.users, args.providers, args.reseed)
        started = time.monotonic()
        backend.cli("migrate")  # a reused database may predate a migration
        backend.check_indexes()
        backend.settle()
        log(f"{backend.name}: settled in {time.monotonic() - started:.1f} s")
        server = Server(backend)
        ready_ms = server.start()
        log(f"{backend.name}: ready {ready_ms:.0f} ms after start")
        try:
            ctx = Context(backend, server, args.connections, args.duration, "r", WORK / f"ids-{backend.name}.txt")
            prepare(ctx)
            scenarios = {s.name: measure(ctx, s) for s in chosen}
            rss_after = round(server.rss_kib() / 1024, 1)
        finally:
            server.stop()
        # A second start measures readiness on a warm, migrated database.
        server = Server(backend)
        ready_again_ms = server.start()
        server.stop()
        results["backends"][backend.name] = {
            "seed": seed,
            "ready_ms": round(min(ready_ms, ready_again_ms), 1),
            "ready_first_ms": round(ready_ms, 1),
            "rss_after_mib": rss_after,
            "scenarios": scenarios,
        }
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n")  # kept if a later backend fails
    results["finished_at"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    log(f"wrote {args.out}")
    if not args.no_markdown and args.users >= 1_000_000 and not args.only:
        update_markdown(results)
        log("updated BENCHMARKS.md")


if __name__ == "__main__":
    sys.exit(main())
