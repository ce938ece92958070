"""Starting and stopping real servers for the deployment tests (gunicorn with the shipped
configuration, nginx): free ports, readiness by an answered request, stopped in any case."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, timeout=30.0):
    """Until something accepts connections on ``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}")


def wait_ready(port: int, path="/robots.txt", timeout=60.0, process=None):
    """Until the application answers ``path`` on ``port`` (its worker loaded and serving): the
    port alone is bound by gunicorn's master before any worker can answer."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server on {port} stopped (exit {process.returncode})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError) as error:
            last = error
        time.sleep(0.3)
    raise AssertionError(f"the server on {port} did not answer {path}: {last}")


def app_environment(**values) -> dict:
    """The environment without the test run's own DJANGO_* settings, plus ``values``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({k: str(v) for k, v in values.items()})
    return env


def start_gunicorn(env: dict, log: Path | None = None) -> subprocess.Popen:
    """gunicorn as deployed (deploy/gunicorn.conf.py, ``--no-control-socket``)."""
    output = open(log, "wb") if log else subprocess.DEVNULL
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"),
            *("--no-control-socket", "cnrs_intl.wsgi"),
        ],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(*processes: subprocess.Popen, timeout=10.0, sig=signal.SIGINT):
    """Stop each process and its workers (its own process group): ``sig`` (SIGINT: gunicorn's
    and nginx's quick shutdown), then SIGKILL after ``timeout``."""
    for process in processes:
        if process.poll() is None:
            try:
                os.killpg(process.pid, sig)
            except (ProcessLookupError, PermissionError):
                process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                process.kill()
            process.wait(timeout=timeout)
