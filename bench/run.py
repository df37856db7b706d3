"""`make bench`: the guide page, search and imports on a large dataset, as figures to read.

    .venv/bin/python bench/run.py [--duration 10] [--connections 32] [--no-import]

Runs on the configured database (DATABASE_URL) but never in the developer's
own: SQLite uses bench/bench.sqlite3, PostgreSQL a database named
glutasite_bench on the same server. The dataset (bench/dataset.py: 200
published guides, 2,000 products with 4 offers each, 5,000 studies) is built
once and reused while it matches.

Measures, with production settings (DJANGO_DEBUG=0) and bench/settings.py:
- the guide page in-process (Django test client): SQL queries, and the median
  time uncached (cache emptied before each request) and cached;
- search in-process: median time per query, cache emptied each time;
- requests per second under gunicorn (2 workers) on 127.0.0.1 with wrk: a
  static file (the ceiling), the guide page cached and uncached (a second
  gunicorn with DJANGO_PAGE_CACHE_SECONDS=0) and search, each also as a share
  of the static file's rate;
- spreadsheet import rows per second (bench/import_bench.py).

Prints the figures and writes them to bench/results.json, under "sqlite" or
"postgresql" (the other database's last run is kept). Nothing is asserted.
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "bench"
SQLITE_FILE = BENCH_DIR / "bench.sqlite3"
RESULTS_FILE = BENCH_DIR / "results.json"
POSTGRES_NAME = "glutasite_bench"
DEMO_GUIDE_SLUG = "l-glutamine-for-gut-health"
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql"}
HOST = "127.0.0.1"

IMPORT_ROWS = 10_000
IMPORT_BASELINE_ROWS = 1_000

sys.path.insert(0, str(BASE_DIR))

from bench.load import measure_http  # noqa: E402
from bench.measure import (  # noqa: E402
    SEARCH_QUERIES,
    measure_guide_page,
    measure_invalidation,
    measure_search,
)


def bench_database(configured):
    """(DATABASE_URL of the benchmark database, vendor) for the configured DATABASE_URL."""
    if not configured or configured.startswith("sqlite"):
        return f"sqlite:///{SQLITE_FILE}", "sqlite"
    parts = urlsplit(configured)
    if parts.scheme not in POSTGRES_SCHEMES:
        raise SystemExit(f"make bench runs on SQLite or PostgreSQL, not {parts.scheme}.")
    return urlunsplit(parts._replace(path=f"/{POSTGRES_NAME}")), "postgresql"


def postgres_admin(url, action):
    """Run CREATE/DROP DATABASE for the benchmark database, from the server's maintenance database."""
    import psycopg
    from psycopg import sql

    maintenance = urlunsplit(urlsplit(url)._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [POSTGRES_NAME]).fetchone()
        if action == "create" and not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(POSTGRES_NAME)))
        elif action == "drop" and exists:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(POSTGRES_NAME)))


def production_environment(database_url, static_root):
    """What gunicorn and this process run with: debug off, a throwaway key, plain http on 127.0.0.1."""
    return {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_STATIC_ROOT": str(static_root),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_BEHIND_TLS_PROXY": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
    }


def prepare_dataset(vendor, database_url):
    """Migrate the benchmark database and build the dataset unless it is already there."""
    from django.core.management import call_command
    from django.db import connection

    from bench import dataset
    from evidence.models import Study
    from guides.models import Guide
    from products.models import Product

    call_command("migrate", verbosity=0)
    if dataset.is_built():
        dataset.refresh_prices()
        return {"built": False, "seconds": 0.0}
    print("Building the dataset (once; later runs reuse it)...", flush=True)
    start = time.perf_counter()
    if any(model.objects.exists() for model in [Guide, Product, Study]):
        # An older or half-built dataset: start again from an empty database.
        connection.close()
        if vendor == "sqlite":
            SQLITE_FILE.unlink()
        else:
            postgres_admin(database_url, "drop")
            postgres_admin(database_url, "create")
        call_command("migrate", verbosity=0)
    dataset.build_dataset()
    return {"built": True, "seconds": round(time.perf_counter() - start, 1)}


def prepare_demo():
    """The demo guide readers first see (`make run`), beside the dataset: seeded once, then reused."""
    from django.core.management import call_command

    from guides.models import Guide

    if not Guide.objects.filter(slug=DEMO_GUIDE_SLUG).exists():
        call_command("seed_demo", verbosity=0)


def measure_import(env):
    with tempfile.NamedTemporaryFile(suffix=".json") as figures:
        command = [
            sys.executable,
            str(BENCH_DIR / "import_bench.py"),
            f"--rows={IMPORT_ROWS}",
            f"--baseline-rows={IMPORT_BASELINE_ROWS}",
            f"--json={figures.name}",
        ]
        subprocess.run(command, env=env, check=True, timeout=600)
        return json.loads(Path(figures.name).read_text())


# Report


def write_results(results):
    """Keep the latest run on each database, so SQLite's and PostgreSQL's figures sit side by side."""
    try:
        runs = json.loads(RESULTS_FILE.read_text())
    except (OSError, ValueError):
        runs = {}
    if not isinstance(runs, dict) or not all(vendor in {"sqlite", "postgresql"} for vendor in runs):
        runs = {}
    runs[results["database"]["vendor"]] = results
    RESULTS_FILE.write_text(json.dumps(runs, indent=2) + "\n")


def report(results):
    db = results["database"]
    data = results["dataset"]
    counts = ", ".join(f"{n:,} {what}" for what, n in data["counts"].items())
    how = f"built in {data['seconds']} s" if data["built"] else "reused"
    lines = [
        "",
        f"Glutasite benchmarks on {db['vendor']} ({db['name']}), {results['machine']['cpus']} CPUs, "
        f"load average {results['machine']['load_average_at_start']} at start",
        f"Dataset: {counts} ({how})",
        "",
        f"Guide page {results['guide_page']['url']}, in-process (Django test client), "
        f"{results['guide_page']['bytes']:,} bytes",
        f"{'':<24}{'SQL queries':>12}{'median ms':>12}{'requests':>10}",
    ]
    for key, label in [("guide_page", "big guide"), ("demo_guide_page", "demo guide"), ("home_page", "home")]:
        page = results.get(key)
        if not page:
            continue
        if key != "guide_page":
            lines.append(f"{label.capitalize()} {page['url']}, {page['bytes']:,} bytes")
        for state in ["uncached", "cached"]:
            lines.append(
                f"  {state:<22}{page[f'queries_{state}']:>12}{page[f'median_ms_{state}']:>12.2f}"
                f"{page['requests'][state]:>10}"
            )
    search = results["search"]
    lines += [
        "",
        f"Search, in-process, median of {search['requests_per_query']} per query (cache emptied each time)",
        f"{'':<30}{'median ms':>10}{'results':>9}{'SQL queries':>13}",
    ]
    for query, figures in search["queries"].items():
        lines.append(f"  {query!r:<28}{figures['median_ms']:>10.2f}{figures['results']:>9}{figures['sql_queries']:>13}")
    lines.append(f"  {'median over the queries':<28}{search['median_ms']:>10.2f}")
    emptied = results.get("invalidation")
    if emptied:
        lines += [
            "",
            f"Cached reader pages emptied by one change, of {emptied['pages']:,} cached (guides, products, lists)",
            f"  one new price (admin save)  {emptied['one_price']:>8,}",
            f"  one guide edit (a new FAQ)  {emptied['one_guide_edit']:>8,}",
        ]
    http = results.get("http")
    if http:
        settings = results["http_settings"]
        lines += [
            "",
            f"HTTP: gunicorn, {settings['workers']} sync workers, wrk {settings['duration_s']} s at "
            f"{settings['connections']} connections on {HOST} (wrk shares the {results['machine']['cpus']} CPUs)",
            f"{'':<24}{'req/s':>10}{'vs static':>11}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}",
        ]
        for name, figures in http.items():
            errors = figures["non_2xx_3xx"] + figures["socket_errors"]
            lines.append(
                f"  {name:<22}{figures['requests_per_second']:>10,.1f}{figures['share_of_static']:>11.4f}"
                f"{figures['latency_p50_ms']:>9.1f}{figures['latency_p99_ms']:>9.1f}{errors:>8}"
            )
    else:
        lines += ["", f"HTTP: not measured ({results['http_skipped']})"]
    imports = results.get("import")
    if imports:
        lines += [
            "",
            f"Import, rows per second: ours on a {imports['rows']:,}-row XLSX, "
            f"django-import-export's default on {imports.get('library_default_rows', 0):,} rows",
            f"{'':<24}{'ours':>10}{'library default':>17}",
        ]
        for step, figure in imports["ours"].items():
            library = imports.get("library_default", {}).get(step)
            lines.append(
                f"  {step:<22}{figure:>10,.0f}{library:>17,.0f}" if library else f"  {step:<22}{figure:>10,.0f}"
            )
    lines += ["", f"Written to {RESULTS_FILE.relative_to(BASE_DIR)} after {results['seconds']} s."]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds wrk runs against each address.")
    parser.add_argument("--connections", type=int, default=32, help="Connections wrk keeps open.")
    parser.add_argument("--no-import", action="store_true", help="Skip the spreadsheet import benchmark.")
    args = parser.parse_args()
    started = time.perf_counter()
    # A `kill` runs the same clean-up as Ctrl-C: gunicorn is always stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    database_url, vendor = bench_database(os.environ.get("DATABASE_URL", ""))
    if vendor == "postgresql":
        postgres_admin(database_url, "create")
    static_root = Path(tempfile.mkdtemp(prefix="glutasite-bench-static-"))
    try:
        env = {**os.environ, **production_environment(database_url, static_root)}
        os.environ.update(env)
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.templatetags.static import static
        from django.test import Client
        from django.urls import reverse

        from bench import dataset
        from guides.models import Guide

        name = (
            SQLITE_FILE.relative_to(BASE_DIR)
            if vendor == "sqlite"
            else f"{POSTGRES_NAME} on {settings.DATABASES['default']['HOST']}"
        )
        print(f"Benchmark database: {name}", flush=True)
        built = prepare_dataset(vendor, database_url)
        prepare_demo()
        call_command("collectstatic", interactive=False, verbosity=0)

        guides = Guide.objects.published().filter(category__parent__parent__slug=dataset.MARKER_SLUG).order_by("slug")
        guide = guides[guides.count() // 2]
        paths = {
            "guide": guide.get_absolute_url(),
            "demo guide": reverse("guides:guide_detail", args=[DEMO_GUIDE_SLUG]),
            "home": reverse("readers:home"),
            "search": f"{reverse('readers:search')}?{urlencode({'q': SEARCH_QUERIES[0]})}",
            "static": static("css/site.css"),
        }
        results = {
            "ran_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {"vendor": connection.vendor, "name": str(name)},
            "machine": {
                "cpus": os.cpu_count(),
                # Other work on the machine slows every figure; this says how busy it was.
                "load_average_at_start": round(os.getloadavg()[0], 2),
                "python": platform.python_version(),
                "django": django.__version__,
            },
            "dataset": {"counts": dataset.dataset_counts(), "sizes": dataset.sizes_as_dict(), **built},
        }

        # The test client's host; gunicorn is only ever asked for 127.0.0.1.
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        print("Guide page and search, in-process...", flush=True)
        results["guide_page"] = measure_guide_page(client, paths["guide"])
        results["demo_guide_page"] = measure_guide_page(client, paths["demo guide"])
        results["home_page"] = measure_guide_page(client, paths["home"])
        results["search"] = measure_search(client, reverse("readers:search"))
        print("Pages emptied by one change...", flush=True)
        results["invalidation"] = measure_invalidation(client, list(guides))
        connection.close()

        if shutil.which("wrk"):
            print("HTTP under gunicorn...", flush=True)
            log_path = Path(tempfile.gettempdir()) / "glutasite-bench-gunicorn.log"
            results["http_settings"] = {"workers": 2, "duration_s": args.duration, "connections": args.connections}
            results["http"] = measure_http(env, paths, args.duration, args.connections, log_path)
        else:
            results["http_skipped"] = "wrk is not installed: apt-get install wrk"

        if not args.no_import:
            print("Spreadsheet import...", flush=True)
            results["import"] = measure_import(env)

        results["seconds"] = round(time.perf_counter() - started)
        write_results(results)
        print(report(results))
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
