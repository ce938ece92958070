"""Benchmark: serve a large synthetic catalogue with gunicorn and measure each page type.

    make bench                      # PostgreSQL database cnrs_intl_bench, 5,000 instruments
    BENCH_SIZE=20000 make bench

Speed goals live here, not in timed tests: each page type's 95th percentile latency must stay
under its goal on this machine's size (2 cores). Writes bench-results/results.json and exits
non-zero when a goal is missed. Only loopback traffic; bounded request count.
"""

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cnrs_intl_bench"
)
SIZE = int(os.environ.get("BENCH_SIZE", "5000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "60"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "4"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))

# (name, path, p95 goal in milliseconds)
PAGES = [
    ("home", "/en/", 400),
    ("instruments list", "/en/instruments/", 400),
    ("instruments filtered", "/en/instruments/?country=cn&theme=biodiversity&status=active", 400),
    ("instruments page 5", "/en/instruments/?page=5", 400),
    ("instrument detail", "/en/instruments/synthetic-instrument-7/", 300),
    ("institutions list", "/en/institutions/", 400),
    ("partnerships list", "/en/partnerships/", 400),
    ("calls list", "/en/calls/", 400),
    ("offices", "/en/offices/", 300),
    ("country dossier", "/en/countries/cn/", 500),
    ("search", "/en/search/?q=biodiversity", 800),
    ("api instruments", "/api/v1/instruments/?country=cn", 400),
]


def manage(*args, env):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env):
    if DATABASE_URL.startswith("postgres"):
        name = DATABASE_URL.rsplit("/", 1)[1]
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-qc",
                f'DROP DATABASE IF EXISTS "{name}"',
            ],
            check=True,
        )
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f'CREATE DATABASE "{name}"'],
            check=True,
        )
    manage("migrate", "--no-input", "-v0", env=env)
    manage("load_reference_data", "-v0", env=env)
    manage("generate_synthetic_data", str(SIZE), env=env)


def fetch(url) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return (time.perf_counter() - started) * 1000, status


def main() -> int:
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "DJANGO_DEBUG": "1",
        "DJANGO_AXES_ENABLED": "0",
    }
    prepare(env)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "cnrs_intl.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**env, "API_ANON_RATE": "100000/min"},
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        results, failed = [], False
        for name, path, goal in PAGES:
            fetch(base + path)  # warm-up
            with ThreadPoolExecutor(CONCURRENCY) as pool:
                samples = list(pool.map(fetch, [base + path] * REQUESTS))
            times = sorted(t for t, _ in samples)
            statuses = sorted({s for _, s in samples})
            p50 = statistics.median(times)
            p95 = times[int(len(times) * 0.95) - 1]
            ok = p95 <= goal and statuses == [200]
            failed |= not ok
            results.append(
                {
                    "page": name,
                    "path": path,
                    "p50_ms": round(p50, 1),
                    "p95_ms": round(p95, 1),
                    "goal_p95_ms": goal,
                    "statuses": statuses,
                    "ok": ok,
                }
            )
            print(
                f"{'ok ' if ok else 'MISS'} {name:24} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  goal {goal} ms  {statuses}"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(
        json.dumps({"size": SIZE, "requests": REQUESTS, "results": results}, indent=2)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
