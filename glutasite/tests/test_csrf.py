"""Every address that takes a POST refuses one without a CSRF token.

The addresses come from the URLconf itself, admin included, so a view added later is covered
without anyone listing it here; a view marked csrf_exempt fails this test.
"""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from glutasite.tests.html_forms import form_data
from guides.admin_workflow import WORKFLOW_ACTIONS
from guides.tests.factories import GuideFactory
from readers.models import NewsletterSubscriber

pytestmark = pytest.mark.django_db

# A value for each kind of path converter; the CSRF check runs before the view looks anything up.
SAMPLE = {"int": "1", "path": "1", "slug": "sample", "str": "sample"}
# Parameters whose value chooses what the view does: every choice is tried.
CHOICES = {"action": ["edit", "publish", "revert", *WORKFLOW_ACTIONS], "extension": ["csv", "xlsx"]}
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
NAMED_GROUP = re.compile(r"\(\?P<(\w+)>([^)]*)\)")
CSRF_REFUSAL = "CSRF verification failed"


def routes(patterns, prefix="", namespace=""):
    """(name, route) for every URL pattern, routes written as in path() or re_path()."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}{pattern.name}" if pattern.name else "", route.removesuffix("$"))


def paths_for(route):
    """Concrete paths that reach the view of a route."""
    if NAMED_GROUP.search(route):  # re_path: the admin's app index, its catch-all, media files
        choices = {name: body.split("|") if "|" in body else ["sample"] for name, body in NAMED_GROUP.findall(route)}
        route = NAMED_GROUP.sub(lambda match: f"<{match.group(1)}>", route)
    else:
        choices = {name: CHOICES.get(name, [SAMPLE[kind or "str"]]) for kind, name in CONVERTER.findall(route)}
    paths = [route]
    for name, values in choices.items():
        paths = [re.sub(rf"<(?:\w+:)?{name}>", value, path) for path in paths for value in values]
    return ["/" + path for path in paths]


POST_TARGETS = sorted(
    {(name, path) for name, route in routes(get_resolver().url_patterns) for path in paths_for(route)}
)


def test_every_post_endpoint_we_know_is_among_those_tried():
    names = {name for name, _ in POST_TARGETS}
    known = {
        "admin:login",
        "admin:logout",
        "admin:password_change",
        "admin:guides_guide_workflow",
        "admin:products_product_import",
        "admin:products_product_process_import",
        "admin:evidence_study_import",
        "readers:newsletter_signup",
        "readers:newsletter_confirm",
        "readers:newsletter_unsubscribe",
        "readers:report_error",
        "affiliate_redirect",
    }
    for model in admin.site._registry:
        # The changelist takes the bulk actions' posts.
        for view in ["add", "change", "delete", "changelist"]:
            known.add(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")
    assert known - names == set()
    workflow_paths = {path for name, path in POST_TARGETS if name == "admin:guides_guide_workflow"}
    assert {path.split("/")[-2] for path in workflow_paths} == set(CHOICES["action"])


def test_post_without_a_csrf_token_is_refused_everywhere(django_user_model):
    superuser = django_user_model.objects.create_user("root", is_staff=True, is_superuser=True)
    # Signed in, as the victim of a forged request would be; and signed out, as on the reader forms.
    signed_in, signed_out = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    signed_in.force_login(superuser)
    accepted = []
    for name, path in POST_TARGETS:
        for who, client in [("signed in", signed_in), ("signed out", signed_out)]:
            response = client.post(path, {"email": "reader@example.com", "username": "root"})
            if response.status_code != 403 or CSRF_REFUSAL not in response.content.decode():
                accepted.append(f"{name or path} {path} ({who}): {response.status_code}")
    assert accepted == []


def test_forms_post_their_token_and_are_accepted():
    """The refusals above are the missing token's doing: the pages' own forms carry one that works."""
    guide = GuideFactory()
    client = Client(enforce_csrf_checks=True)
    for path, form_id, filled in [
        (reverse("readers:newsletter_signup"), None, {"email": "new@example.com"}),
        (
            reverse("readers:report_error", args=[guide.slug]),
            None,
            {"description": "The dose in the second section should be 5 g, not 50 g."},
        ),
        (reverse("admin:login"), "login-form", {"username": "nobody", "password": "wrong-password"}),
    ]:
        data = form_data(client.get(path).content.decode(), form_id) | filled
        assert data["csrfmiddlewaretoken"]
        response = client.post(path, data)
        assert response.status_code in {200, 302}, path
        assert CSRF_REFUSAL not in response.content.decode()
    assert NewsletterSubscriber.objects.filter(email="new@example.com").exists()
    assert guide.correction_requests.exists()
