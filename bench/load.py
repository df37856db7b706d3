"""Requests per second under gunicorn, measured with wrk on 127.0.0.1."""

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SERVER_START_SECONDS = 60


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (always http://127.0.0.1)
        return response.status, response.read()


@contextlib.contextmanager
def gunicorn(env, log_path):
    """gunicorn on 127.0.0.1 with 2 workers; yields its base URL and is stopped whatever happens."""
    port = free_port()
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "glutasite.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        "2",
        "--chdir",
        str(BASE_DIR),
        "--log-level",
        "warning",
    ]
    with open(log_path, "ab") as log:
        # Its own session, so stopping it reaches its workers and nothing else.
        process = subprocess.Popen(command, env=env, stdout=log, stderr=log, start_new_session=True)
    base = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {process.returncode}; see {log_path}")
            try:
                fetch(f"{base}/robots.txt")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(
                        f"gunicorn did not answer within {SERVER_START_SECONDS} s; see {log_path}"
                    ) from None
                time.sleep(0.2)
        yield base
    finally:
        stop(process)


def stop(process):
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


WRK_UNITS = {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}


def wrk_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(number) * WRK_UNITS[unit], 2)


def run_wrk(url, duration, connections):
    for _ in range(5):  # warm up: templates compiled, connections open, the cache filled where it is on
        status, _ = fetch(url)
        if status != 200:
            raise SystemExit(f"GET {url} answered {status}")
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=True).stdout
    figures = {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "latency_p50_ms": wrk_ms(re.search(r"\s50%\s+(\S+)", output).group(1)),
        "latency_p99_ms": wrk_ms(re.search(r"\s99%\s+(\S+)", output).group(1)),
        "non_2xx_3xx": int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0,
        "socket_errors": sum(map(int, m.groups()))
        if (m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output))
        else 0,
    }
    return figures


def measure_http(env, paths, duration, connections, log_path):
    results = {}
    for cache_on, targets in [
        (True, [("static file", paths["static"]), ("guide page, cached", paths["guide"])]),
        (
            False,
            [
                ("guide page, uncached", paths["guide"]),
                ("demo guide, uncached", paths["demo guide"]),
                ("home, uncached", paths["home"]),
                ("search", paths["search"]),
            ],
        ),
    ]:
        server_env = env if cache_on else {**env, "DJANGO_PAGE_CACHE_SECONDS": "0"}
        with gunicorn(server_env, log_path) as base:
            for name, path in targets:
                print(f"  wrk {duration} s on {name}...", flush=True)
                results[name] = {"path": path, **run_wrk(f"{base}{path}", duration, connections)}
    ceiling = results["static file"]["requests_per_second"]
    for figures in results.values():
        figures["share_of_static"] = round(figures["requests_per_second"] / ceiling, 4)
    return results
