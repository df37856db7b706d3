"""Link health: is each offer's shop link still a page where readers can buy the product?

`check_link()` asks the shop the way a browser would, but politely: HEAD
first (GET when HEAD is refused), redirects followed by hand up to 5, 10 s
timeout, our User-Agent, one request at a time with a gap per host. A check
never goes through /go/, so it is never counted as a click.

- fine: 2xx at the address; redirected: 2xx somewhere else (fine, the
  destination is kept);
- broken: 404, 410, a name that does not resolve, a TLS failure, or a soft
  404 (sent to the shop's home or search page, or a page saying the product
  is unavailable);
- could not check: 403, 429, 5xx, a timeout or a refused connection. It is
  tried again next time and never counts as broken.

Broken twice in a row hides the offer (`Offer.link_broken_since`, which
`Offer.objects.active()` leaves out) and sends `offer_link_broken`; the
next check that finds the link working shows it again.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jobs import Result
from outbound.http import Client, name_not_found

from .models import LinkCheck, Offer
from .signals import offer_link_broken

MAX_REDIRECTS = 5
TIMEOUT = 10
BROKEN_CHECKS_TO_HIDE = 2
HEAD_REFUSED = {400, 403, 405, 501}
NOT_FOUND = {404, 410}
# Enough of a page to find a shop's "unavailable" banner, which sits near the top.
BODY_BYTES = 256 * 1024
UNAVAILABLE = re.compile(
    r"(currently unavailable|no longer available|product (?:is )?not found|page not found|"
    r"item (?:is )?no longer|discontinued|we couldn.t find (?:this|that|the) (?:page|product)|out of stock forever)",
    re.IGNORECASE,
)
SEARCH_PARAMETERS = {"q", "k", "s", "query", "search", "keyword", "keywords"}
SEARCH_PATH = re.compile(r"/(search|s|find|results?)(/|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Checked:
    outcome: str
    response: str
    status_code: int | None = None
    final_url: str = ""


def check_link(client, url):
    current, method = url, "HEAD"
    for _ in range(MAX_REDIRECTS + 1):
        try:
            response = client.request(method, current, allow_redirects=False, timeout=TIMEOUT, stream=True)
        except ValidationError:
            return Checked(LinkCheck.Outcome.REDIRECTED, "sent on to an address we do not call", final_url=current)
        except requests.exceptions.SSLError:
            return Checked(LinkCheck.Outcome.BROKEN, "the shop's TLS certificate was refused", final_url=current)
        except requests.Timeout:
            return Checked(LinkCheck.Outcome.COULD_NOT_CHECK, f"no answer within {TIMEOUT} s", final_url=current)
        except requests.ConnectionError as error:
            if name_not_found(error):
                return Checked(LinkCheck.Outcome.BROKEN, "the shop's address does not exist (DNS)", final_url=current)
            return Checked(LinkCheck.Outcome.COULD_NOT_CHECK, "the connection was refused", final_url=current)
        with response:
            status = response.status_code
            if method == "HEAD" and status in HEAD_REFUSED:
                method = "GET"
                continue
            if status in {301, 302, 303, 307, 308} and response.headers.get("Location"):
                current = urljoin(current, response.headers["Location"])
                continue
            return _judge(client, url, current, response, method)
    return Checked(LinkCheck.Outcome.COULD_NOT_CHECK, f"more than {MAX_REDIRECTS} redirects", final_url=current)


def _judge(client, url, current, response, method):
    status = response.status_code
    answer = f"{status} {response.reason or ''}".strip()
    if status in NOT_FOUND:
        return Checked(LinkCheck.Outcome.BROKEN, answer, status, current)
    if status == 429 or status == 403 or status >= 500 or not 200 <= status < 300:
        return Checked(LinkCheck.Outcome.COULD_NOT_CHECK, answer, status, current)
    moved = current != url
    if moved and _is_home_or_search(url, current):
        return Checked(LinkCheck.Outcome.BROKEN, "sent to the shop's home or search page", status, current)
    if "html" in response.headers.get("Content-Type", "html"):
        if method == "HEAD":
            with client.get(current, timeout=TIMEOUT, stream=True, allow_redirects=False) as page:
                body = _start_of(page)
        else:
            body = _start_of(response)
        if UNAVAILABLE.search(body):
            found = UNAVAILABLE.search(body).group(0)
            return Checked(LinkCheck.Outcome.BROKEN, f"the page says “{found}”", status, current)
    outcome = LinkCheck.Outcome.REDIRECTED if moved else LinkCheck.Outcome.FINE
    return Checked(outcome, answer, status, current)


def _start_of(response):
    data = b""
    for chunk in response.iter_content(16 * 1024):
        data += chunk
        if len(data) >= BODY_BYTES:
            break
    return data.decode(response.encoding or "utf-8", errors="replace")


def _is_home_or_search(url, final):
    start, end = urlsplit(url), urlsplit(final)
    if end.path.strip("/") == "" and not end.query:
        return True
    return bool(SEARCH_PATH.search(end.path) or SEARCH_PARAMETERS & set(parse_qs(end.query))) and (
        end.path != start.path
    )


def record(offer, checked, at):
    """Keep the check, and hide or show the offer by its streak. Returns True when visibility changed."""
    previous = LinkCheck.objects.filter(offer=offer).first()
    streak = previous.broken_in_a_row if previous else 0
    if checked.outcome == LinkCheck.Outcome.BROKEN:
        streak += 1
    elif checked.outcome != LinkCheck.Outcome.COULD_NOT_CHECK:
        streak = 0
    LinkCheck.objects.update_or_create(
        offer=offer,
        defaults={
            "checked_at": at,
            "outcome": checked.outcome,
            "status_code": checked.status_code,
            "final_url": checked.final_url[:1000],
            "response": checked.response[:300],
            "broken_in_a_row": streak,
        },
    )
    if streak >= BROKEN_CHECKS_TO_HIDE and offer.link_broken_since is None:
        Offer.objects.filter(pk=offer.pk).update(link_broken_since=at)
        offer.link_broken_since = at
        transaction.on_commit(lambda: offer_link_broken.send(sender=Offer, offer=offer))
        return True
    if streak == 0 and offer.link_broken_since is not None and checked.outcome != LinkCheck.Outcome.COULD_NOT_CHECK:
        Offer.objects.filter(pk=offer.pk).update(link_broken_since=None)
        return True
    return False


def check_links(*, progress, limit=None, at=None):
    """The job: check every active offer's link (hidden ones too, so they come back), least recently first."""
    offers = (
        Offer.objects.filter(is_active=True)
        .select_related("product__brand", "merchant")
        .order_by(F("link_check__checked_at").asc(nulls_first=True), "pk")
    )
    offers = list(offers[:limit] if limit else offers)
    counts, changed = dict.fromkeys(LinkCheck.Outcome.values, 0), 0
    with Client(min_interval=settings.LINK_CHECK_DELAY_SECONDS, timeout=TIMEOUT) as client:
        for done, offer in enumerate(offers, start=1):
            checked = check_link(client, offer.affiliate_url)
            counts[checked.outcome] += 1
            changed += record(offer, checked, at or timezone.now())
            progress(done, len(offers), "links")
    parts = [f"{count} {LinkCheck.Outcome(outcome).label.lower()}" for outcome, count in counts.items() if count]
    summary = f"Checked {len(offers)} link{'s' if len(offers) != 1 else ''}" + (
        f": {', '.join(parts)}" if parts else ""
    )
    return Result(
        changed=changed, summary=summary + (f"; {changed} offer(s) hidden or shown again." if changed else ".")
    )
