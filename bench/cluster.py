"""`make cluster-test`: the site as it runs across machines, started on 127.0.0.1 only, and proven.

    .venv/bin/python bench/cluster.py [--load-seconds 30]

Starts PostgreSQL's database `glutasite_cluster` on the local server (made
afresh), its own Redis, an S3-compatible store for media (moto in server
mode), two app servers (gunicorn) and two job workers (Huey) sharing them, and
HAProxy in front, health-checking `/healthz`. Then it proves, and prints, what
a site on several machines needs (bench/cluster_checks.py): an editor's save
on one server shows on the other, a spreadsheet preview made on one is
confirmed on the other, a photo uploaded through one is served through the
other, a periodic job runs once across both workers, a click through either
server counts once, the form rate limit is shared, and the balancer keeps
every request answered while one app server is killed and restarts.

Every process it started is stopped at the end, also when something fails or
it is interrupted. Exits non-zero when a check fails.
"""

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.load import free_port  # noqa: E402

HOST = "127.0.0.1"
DATABASE = "glutasite_cluster"
POSTGRES = os.environ.get("CLUSTER_POSTGRES", "postgres://postgres@127.0.0.1:5432")
BUCKET = "glutasite-media"
IMPORTS_BUCKET = "glutasite-imports"  # private: spreadsheets waiting between preview and confirm
START_SECONDS = 60


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (http://127.0.0.1 only)
            return response.status < 500
    except OSError:
        return False


def port_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


class Cluster:
    """The processes of the cluster, each in its own session so stopping one stops its children."""

    def __init__(self, workdir):
        self.workdir = Path(workdir)
        self.processes = {}  # name -> (process, log) while it runs
        self.started = []  # (name, process) of everything ever started, to prove all are gone at the end
        self.ports = {name: free_port() for name in ["redis", "s3", "app_a", "app_b", "balancer", "stats"]}
        self.env = {
            **os.environ,
            "DATABASE_URL": f"{POSTGRES}/{DATABASE}",
            "REDIS_URL": f"redis://{HOST}:{self.ports['redis']}/0",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
            "DJANGO_CSRF_TRUSTED_ORIGINS": ",".join(
                f"http://{HOST}:{self.ports[name]}" for name in ["app_a", "app_b", "balancer"]
            ),
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_BEHIND_TLS_PROXY": "0",
            "DJANGO_LOG_LEVEL": os.environ.get("CLUSTER_LOG_LEVEL", "ERROR"),
            "DJANGO_SITE_URL": f"http://{HOST}:{self.ports['balancer']}",
            "DJANGO_IMPORT_S3_BUCKET": IMPORTS_BUCKET,
            "MEDIA_S3_BUCKET": BUCKET,
            "MEDIA_S3_ENDPOINT_URL": f"http://{HOST}:{self.ports['s3']}",
            "MEDIA_S3_ACCESS_KEY_ID": "cluster-test",
            "MEDIA_S3_SECRET_ACCESS_KEY": "cluster-test-secret",
            "MEDIA_S3_REGION": "us-east-1",
            "OUTBOUND_HTTP_ALLOWED_HOSTS": HOST,
            "PYTHONUNBUFFERED": "1",
        }

    # Processes

    def start(self, name, command, ready):
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        self.processes[name] = (process, log)
        self.started.append((name, process))
        deadline = time.monotonic() + START_SECONDS
        while not ready():
            if process.poll() is not None:
                raise SystemExit(f"{name} exited with {process.returncode}; see {self.workdir / name}.log")
            if time.monotonic() > deadline:
                raise SystemExit(f"{name} did not start within {START_SECONDS} s; see {self.workdir / name}.log")
            time.sleep(0.2)
        return process

    def kill(self, name, sig=signal.SIGKILL):
        process, log = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        log.close()

    def stop_all(self):
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)

    def still_running(self):
        """Started processes, or any of their children, still alive."""
        alive = []
        for name, process in self.started:
            try:
                os.killpg(process.pid, 0)  # the whole session: gunicorn's and Huey's workers too
            except ProcessLookupError:
                continue
            alive.append(name)
        return alive

    def manage(self, *args, env=None):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env={**self.env, **(env or {})},
            check=True,
            stdout=subprocess.DEVNULL,
        )

    # The pieces

    def start_redis(self):
        port = self.ports["redis"]
        command = ["redis-server", "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"]
        self.start("redis", command, lambda: port_open(port))

    def start_s3(self):
        port = self.ports["s3"]
        moto = Path(sys.executable).parent / "moto_server"
        self.start("s3", [str(moto), "-H", HOST, "-p", str(port)], lambda: port_open(port))
        import boto3

        store = boto3.client(
            "s3",
            endpoint_url=self.env["MEDIA_S3_ENDPOINT_URL"],
            aws_access_key_id=self.env["MEDIA_S3_ACCESS_KEY_ID"],
            aws_secret_access_key=self.env["MEDIA_S3_SECRET_ACCESS_KEY"],
            region_name=self.env["MEDIA_S3_REGION"],
        )
        for bucket in [BUCKET, IMPORTS_BUCKET]:
            store.create_bucket(Bucket=bucket)
        # As the README asks of an operator: anyone may read the photos; the uploads bucket stays private.
        public_read = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"},
            ],
        }
        store.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read))

    def prepare_database(self, admin_password):
        import psycopg
        from psycopg import sql

        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DATABASE)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        self.manage("seed_demo")
        self.manage(
            "createsuperuser",
            "--noinput",
            "--username",
            "cluster-editor",
            "--email",
            "editor@example.com",
            env={"DJANGO_SUPERUSER_PASSWORD": admin_password},
        )

    def start_app(self, name):
        port = self.ports[name]
        gunicorn = Path(sys.executable).parent / "gunicorn"
        command = [str(gunicorn), "glutasite.wsgi", "--bind", f"{HOST}:{port}", "--workers", "2"]
        self.start(name, command, lambda: answers(f"http://{HOST}:{port}/healthz"))

    def start_worker(self, name):
        self.start(name, [sys.executable, "manage.py", "run_huey", "--workers", "2"], lambda: True)

    def start_balancer(self):
        config = self.workdir / "haproxy.cfg"
        config.write_text(HAPROXY_CONFIG.format(**self.ports, host=HOST))
        port = self.ports["balancer"]
        self.start("balancer", ["haproxy", "-f", str(config), "-db"], lambda: answers(f"http://{HOST}:{port}/healthz"))

    def url(self, name, path="/"):
        return f"http://{HOST}:{self.ports[name]}{path}"


# Health checks twice a second; two failures mark a server down, two successes up again. A request a
# dead server dropped is sent again to the other one (GET only: retrying a POST could save twice).
HAPROXY_CONFIG = """
global
    maxconn 4096

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch 1
    retry-on all-retryable-errors

frontend site
    bind {host}:{balancer}
    default_backend apps

backend apps
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2
    server a {host}:{app_a} check
    server b {host}:{app_b} check

listen stats
    bind {host}:{stats}
    stats enable
    stats uri /stats
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load-seconds", type=int, default=30)
    args = parser.parse_args()
    for program in ["redis-server", "haproxy", "wrk"]:
        if shutil.which(program) is None:
            raise SystemExit(f"{program} is missing: apt-get install {program.split('-')[0]}")

    from bench import cluster_checks

    # A kill from outside (CI's timeout, Ctrl-C) still stops everything in the `finally` below.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(f"Stopped by signal {number}."))
    workdir = tempfile.mkdtemp(prefix="glutasite-cluster-")
    cluster = Cluster(workdir)
    started = time.monotonic()
    failures = []
    try:
        print(f"Starting the cluster (logs in {workdir})...", flush=True)
        password = secrets.token_urlsafe(16)
        cluster.start_redis()
        cluster.start_s3()
        cluster.prepare_database(password)
        for name in ["app_a", "app_b"]:
            cluster.start_app(name)
        for name in ["worker_1", "worker_2"]:
            cluster.start_worker(name)
        cluster.start_balancer()
        print(
            f"  PostgreSQL {DATABASE}, Redis :{cluster.ports['redis']}, S3 (moto) :{cluster.ports['s3']}, "
            f"app servers :{cluster.ports['app_a']} and :{cluster.ports['app_b']}, 2 Huey workers, "
            f"HAProxy :{cluster.ports['balancer']}",
            flush=True,
        )
        failures = cluster_checks.run_all(cluster, password, load_seconds=args.load_seconds)
    finally:
        cluster.stop_all()
        running = cluster.still_running()
        print(
            f"Stopped the {len(cluster.started)} processes the test started"
            + (f", but not {running}." if running else ".")
        )
        if running:
            failures.append("stop every process")
    verdict = f"FAILED: {', '.join(failures)}" if failures else "Every check passed"
    print(f"{verdict} ({time.monotonic() - started:.0f} s).")
    if not failures:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
