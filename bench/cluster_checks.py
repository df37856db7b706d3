"""The proofs `make cluster-test` runs against the cluster bench/cluster.py starts.

Each check uses the site as people do, over HTTP, through app server A, app
server B or the balancer, and reads the shared database only to find ids and
count what the site stored.
"""

import csv
import io
import re
import subprocess
import threading
import time
from contextlib import closing
from decimal import Decimal

import psycopg
import requests

from glutasite.tests.html_forms import form_data

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36 glutasite-cluster-test"
MARKER = "Cluster check"


def database(cluster):
    url = cluster.env["DATABASE_URL"].replace("postgres://", "postgresql://")
    return closing(psycopg.connect(url, autocommit=True))


def one(cluster, query, *params):
    with database(cluster) as conn:
        return conn.execute(query, params).fetchone()


class PlainHttpCookies(requests.cookies.RequestsCookieJar):
    """The cluster speaks plain http on 127.0.0.1 while the site, with debug off, marks its cookies Secure
    (in production a TLS proxy sits in front); keep them as a browser behind that proxy would."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def session():
    browser = requests.Session()
    browser.cookies = PlainHttpCookies()
    browser.headers["User-Agent"] = BROWSER
    return browser


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def logged_in(cluster, server, password):
    """An editor's browser session, logged in through `server`."""
    browser = session()
    login = cluster.url(server, "/admin/login/")
    fields = form_data(browser.get(login, timeout=10).text, "login-form")
    response = browser.post(
        login,
        data=fields | {"username": "cluster-editor", "password": password, "next": "/admin/"},
        headers={"Referer": login},
        timeout=10,
    )
    assert response.url.endswith("/admin/"), f"login through {server} failed: {response.status_code}"
    return browser


def errors_shown(html):
    return "; ".join(
        re.sub(r"<[^>]+>", " ", found).strip() for found in re.findall(r'class="errorlist[^"]*">(.*?)</ul>', html)
    )


def post_form(browser, url, form_id, changes, files=None):
    fields = form_data(browser.get(url, timeout=10).text, form_id)
    return browser.post(url, data=fields | changes, files=files, headers={"Referer": url}, timeout=30)


# The checks: each returns a sentence of what it saw, or raises AssertionError.


def editor_save_shows_elsewhere(cluster, password):
    (page_id,) = one(cluster, "SELECT id FROM guides_page WHERE slug = 'about'")
    reader = session()
    before = reader.get(cluster.url("app_b", "/pages/about/"), timeout=10)
    assert before.status_code == 200
    reader.get(cluster.url("app_b", "/pages/about/"), timeout=10)  # now served from the shared page cache
    editor = logged_in(cluster, "app_a", password)
    text = f"{MARKER}: saved through A at {time.time():.0f}."
    change_page = cluster.url("app_a", f"/admin/readers/page/{page_id}/change/")
    response = post_form(editor, change_page, "page_form", {"body": text})
    assert response.status_code == 200, response.status_code
    assert "was changed successfully" in response.text, (
        f"the admin did not save the page: {errors_shown(response.text)}"
    )
    after = reader.get(cluster.url("app_b", "/pages/about/"), timeout=10)
    assert text in after.text, "B still served the page as it was before the save"
    return "the page B had cached showed the edit on B's next request"


def preview_confirmed_elsewhere(cluster, password):
    offer = one(
        cluster,
        "SELECT p.sku, b.name, p.name, p.form, p.serving_size, p.amount_per_serving, p.amount_unit, "
        "p.servings_per_container, m.name, o.price, o.affiliate_url FROM products_offer o "
        "JOIN products_product p ON p.id = o.product_id JOIN products_brand b ON b.id = p.brand_id "
        "JOIN products_merchant m ON m.id = o.merchant_id WHERE o.is_active ORDER BY o.id LIMIT 1",
    )
    sku, brand, name, form, serving, amount, unit, servings, merchant, price, link = offer
    new_price = Decimal(price) + Decimal("1.00")
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["sku", "brand", "product", "form", "serving_size", "amount_per_serving", "servings_per_container"]
                    + ["merchant", "price", "currency", "affiliate_url"])  # fmt: skip
    writer.writerow([sku, brand, name, form, serving, f"{amount.normalize():f} {unit}", servings]
                    + [merchant, f"{new_price:.2f}", "USD", link])  # fmt: skip
    editor = logged_in(cluster, "app_a", password)
    upload = cluster.url("app_a", "/admin/products/product/import/")
    preview = editor.post(
        upload,
        data={"csrfmiddlewaretoken": csrf_token(editor.get(upload, timeout=10).text)},
        files={"import_file": ("cluster.csv", rows.getvalue().encode(), "text/csv")},
        headers={"Referer": upload},
        timeout=30,
    )
    assert preview.status_code == 200, preview.status_code
    token = re.search(r'name="token" value="([^"]+)"', preview.text)
    assert token, "A showed no preview to confirm"
    confirm = cluster.url("app_b", "/admin/products/product/process_import/")
    done = editor.post(
        confirm,
        data={"csrfmiddlewaretoken": csrf_token(preview.text), "token": token.group(1)},
        headers={"Referer": confirm},
        timeout=60,
    )
    assert done.status_code == 200, done.status_code
    assert "Import finished" in done.text, "B did not import the file A previewed"
    (stored,) = one(
        cluster,
        "SELECT o.price FROM products_offer o JOIN products_product p ON p.id = o.product_id "
        "JOIN products_merchant m ON m.id = o.merchant_id WHERE p.sku = %s AND m.name = %s",
        sku,
        merchant,
    )
    assert Decimal(stored) == new_price, f"the price is {stored}, not {new_price}"
    return f"previewed on A, confirmed on B: {sku} at {merchant} now {new_price} (the upload waited in S3)"


def photo_served_elsewhere(cluster, password):
    from PIL import Image

    product_id, slug = one(cluster, "SELECT id, slug FROM products_product ORDER BY id LIMIT 1")
    picture = io.BytesIO()
    Image.new("RGB", (600, 600), (40, 120, 90)).save(picture, "JPEG")
    editor = logged_in(cluster, "app_a", password)
    response = post_form(
        editor,
        cluster.url("app_a", f"/admin/products/product/{product_id}/change/"),
        "product_form",
        {"image_alt": "A green square standing in for the tub."},
        files={"image": ("cluster.jpg", picture.getvalue(), "image/jpeg")},
    )
    assert response.status_code == 200, response.status_code
    assert "was changed successfully" in response.text, (
        f"the admin did not save the photo: {errors_shown(response.text)}"
    )
    page = session().get(cluster.url("app_b", f"/products/{slug}/"), timeout=10).text
    sources = re.findall(r'<img[^>]+src="([^"]+)"[^>]*alt="A green square', page)
    assert sources, "B's product page shows no photo"
    url = sources[0] if sources[0].startswith("http") else cluster.url("app_b", sources[0])
    image = requests.get(url, timeout=10)
    assert image.status_code == 200, image.status_code
    assert image.headers["Content-Type"].startswith("image/"), image.headers["Content-Type"]
    return f"B's product page shows the photo from {url.split('?')[0]}"


def clicks_count_once(cluster, password):
    offer_id, token = one(cluster, "SELECT id, token FROM products_offer WHERE is_active ORDER BY id LIMIT 1")
    count = "SELECT count(*) FROM products_affiliateclick WHERE offer_id = %s"
    (before,) = one(cluster, count, offer_id)
    for server in ["app_a", "app_b"]:
        response = session().get(cluster.url(server, f"/go/{token}/"), allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.status_code
    (after,) = one(cluster, count, offer_id)
    assert after - before == 2, f"two clicks counted {after - before} times"
    return "one click through A and one through B: 2 clicks stored"


def rate_limit_shared(cluster, password):
    answers = []
    for n in range(11):
        reader = session()
        url = cluster.url(["app_a", "app_b"][n % 2], "/newsletter/")
        token = csrf_token(reader.get(url, timeout=10).text)
        response = reader.post(
            url,
            data={"csrfmiddlewaretoken": token, "email": f"reader{n}@example.com", "website": ""},
            headers={"Referer": url},
            allow_redirects=False,
            timeout=10,
        )
        answers.append(response.status_code)
    assert answers[:10] == [302] * 10, answers
    assert answers[10] == 429, answers
    return "posts alternating between A and B: 10 taken, the 11th refused with 429"


def balancer_status(cluster):
    text = requests.get(cluster.url("stats", "/stats;csv"), timeout=5).text.lstrip("# ")
    return {row["svname"]: row["status"] for row in csv.DictReader(io.StringIO(text)) if row["pxname"] == "apps"}


def wait_for(predicate, seconds=30):
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > seconds:
            raise AssertionError("timed out")
        time.sleep(0.1)
    return time.monotonic() - start


def probe(url, stop, seen):
    """A reader reloading the page as fast as it can: (started, answered well) for every request."""
    browser = session()
    while not stop.is_set():
        started = time.monotonic()
        try:
            ok = browser.get(url, timeout=10).status_code == 200
        except requests.RequestException:
            ok = False
        seen.append((started, ok))


def failover_under_load(cluster, password, load_seconds):
    """wrk loads the balancer while probes time every request of their own; app server A is killed with
    SIGKILL, so a request it was answering at that instant may be lost, but none may fail once the
    balancer has marked it down, nor while it restarts and rejoins."""
    url = cluster.url("balancer", "/guides/l-glutamine-for-gut-health/")
    command = ["wrk", "-t2", "-c16", f"-d{load_seconds}s", "--timeout", "10s", url]
    output, seen, stop = {}, [], threading.Event()
    load = threading.Thread(
        target=lambda: output.update(text=subprocess.run(command, capture_output=True, text=True).stdout),
    )
    probes = [threading.Thread(target=probe, args=(url, stop, seen)) for _ in range(4)]
    for thread in [load, *probes]:
        thread.start()
    time.sleep(load_seconds / 6)
    killed_at = time.monotonic()
    cluster.kill("app_a")
    noticed = wait_for(lambda: balancer_status(cluster)["a"].startswith("DOWN"))
    noticed_at = killed_at + noticed
    time.sleep(load_seconds / 6)
    cluster.start_app("app_a")
    rejoined = wait_for(lambda: balancer_status(cluster)["a"] == "UP")
    load.join()
    stop.set()
    for thread in probes:
        thread.join()
    text = output["text"]
    done = int(re.search(r"(\d+) requests in", text).group(1))
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", text)) else 0
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    lost = non_2xx + (sum(map(int, errors.groups())) if errors else 0)
    failed_after = [started for started, ok in seen if not ok and started >= noticed_at]
    failed_before = [started for started, ok in seen if not ok and started < noticed_at]
    assert not failed_after, f"{len(failed_after)} requests failed after the balancer marked A down"
    assert lost <= 16, f"wrk lost {lost} requests, more than its 16 connections could have had in flight on A"
    return (
        f"wrk: {done:,} requests in {load_seconds} s, {lost} lost in flight when A was killed; probes: "
        f"{len(seen):,} requests, {len(failed_before)} lost at the kill, none after the balancer marked A down "
        f"{noticed:.1f} s later; A restarted and was back in rotation {rejoined:.1f} s after starting"
    )


def periodic_job_once(cluster, password):
    with database(cluster) as conn:
        twice = conn.execute(
            "SELECT job, slot, count(*) FROM jobs_jobrun WHERE slot IS NOT NULL GROUP BY job, slot HAVING count(*) > 1",
        ).fetchall()
        runs = conn.execute(
            "SELECT count(*) FROM jobs_jobrun WHERE job = 'publish_scheduled' AND slot IS NOT NULL",
        ).fetchone()[0]
    assert runs >= 1, "the every-minute job has not run yet"
    assert not twice, f"run twice: {twice}"
    return f"'publish_scheduled' ran {runs} time(s), once a minute, though both workers' schedulers queue it"


def run_all(cluster, password, *, load_seconds):
    checks = [
        ("An editor's save through A shows to a reader through B", editor_save_shows_elsewhere),
        ("A spreadsheet preview made on A is confirmed on B", preview_confirmed_elsewhere),
        ("A photo uploaded through A is served through B", photo_served_elsewhere),
        ("A /go/ click through either server counts once", clicks_count_once),
        ("The form rate limit is shared by both servers", rate_limit_shared),
        (
            "Under load, app server A is killed: once the balancer notices, no request fails; A rejoins",
            lambda c, p: failover_under_load(c, p, load_seconds),
        ),
        ("A periodic job runs once across both workers", periodic_job_once),
    ]
    failures = []
    for title, check in checks:
        try:
            print(f"PASS  {title}: {check(cluster, password)}", flush=True)
        except Exception as error:  # every check runs and reports, whatever the one before did
            print(f"FAIL  {title}: {type(error).__name__}: {error}", flush=True)
            failures.append(title)
    return failures
