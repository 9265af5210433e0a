"""Where the machine's CPU goes during a benchmark: the API server, PostgreSQL,
wrk and pgbench, each as a share of one core, over a window of seconds.

    python3 bench/cpu_split.py DELAY WINDOW

Start it beside a run (`python3 bench/run.py --only list_page_1 --duration 20`
takes about 14 s to reach its measured phase): it sleeps DELAY seconds, then
reads every process's CPU time from /proc at the start and end of WINDOW.
Dividing a share by the request rate gives the CPU each request costs in
each process (BENCHMARKS.md, "Where a request's time goes").
"""

import os
import sys
import time

GROUPS = {"wrk": "wrk", "pgbench": "pgbench"}


def group(command: str) -> str:
    if command.endswith("users-api"):
        return "api"
    if command.startswith("postgres"):
        return "postgres"
    return GROUPS.get(command, "other")


def cpu_ticks() -> dict[str, int]:
    totals: dict[str, int] = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as comm, open(f"/proc/{pid}/stat") as stat:
                name = comm.read().strip()
                # Fields after the command's closing parenthesis; utime and
                # stime are the 14th and 15th of the whole line.
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        key = group(name)
        totals[key] = totals.get(key, 0) + int(fields[11]) + int(fields[12])
    return totals


def main() -> None:
    delay, window = float(sys.argv[1]), float(sys.argv[2])
    time.sleep(delay)
    before, started = cpu_ticks(), time.monotonic()
    time.sleep(window)
    after, elapsed = cpu_ticks(), time.monotonic() - started
    ticks = os.sysconf("SC_CLK_TCK")
    for key in sorted(after):
        seconds = (after[key] - before.get(key, 0)) / ticks
        if seconds > 0.05:
            print(f"{key:10s} {seconds / elapsed * 100:6.1f} % of one core")


if __name__ == "__main__":
    main()
