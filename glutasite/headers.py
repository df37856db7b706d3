"""Response headers Django has no setting for.

Permissions-Policy turns off browser features the site never uses, so a
script that got in anyway (or a frame we embed) cannot ask for them.
"""

from django.conf import settings


def permissions_policy_header(policy):
    return ", ".join(f"{feature}=()" for feature in policy)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = permissions_policy_header(settings.PERMISSIONS_POLICY_DENIED)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response
