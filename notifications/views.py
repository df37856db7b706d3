"""The signed-in person's notifications in the admin: the list, marking read, and their settings."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .forms import NotificationSettingsForm
from .models import Notification, NotificationSettings


def notification_list(site, request):
    notifications = request.user.notifications.select_related("guide")
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    context = {
        **site.each_context(request),
        "title": "Your notifications",
        "page": page,
        "unread": request.user.notifications.unread().count(),
    }
    return TemplateResponse(request, "notifications/notification_list.html", context)


def open_notification(site, request, pk):
    """Mark it read and go where it points (always a path of ours)."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None) and notification.url.startswith("/")
    return redirect(notification.url if safe else reverse("admin:notifications"))


def mark_read(site, request, pk=None):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    unread = request.user.notifications.unread()
    if pk is not None:
        unread = unread.filter(pk=pk)
    count = unread.update(read_at=timezone.now())
    if pk is None:
        messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect(reverse("admin:notifications"))


def notification_settings(site, request):
    settings = NotificationSettings.of(request.user)
    form = NotificationSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved: you get the notifications you ticked, as you chose.")
        return redirect(reverse("admin:notification_settings"))
    context = {**site.each_context(request), "title": "What you are told, and how", "form": form}
    return TemplateResponse(request, "notifications/notification_settings.html", context)


def admin_urls(site):
    """The pages above, under the admin site (signed-in staff only), for the site's get_urls()."""

    def bound(view):
        return site.admin_view(lambda request, *args, **kwargs: view(site, request, *args, **kwargs))

    return [
        path("notifications/", bound(notification_list), name="notifications"),
        path("notifications/settings/", bound(notification_settings), name="notification_settings"),
        path("notifications/read/", bound(mark_read), name="notifications_read"),
        path("notifications/<int:pk>/", bound(open_notification), name="notification_open"),
        path("notifications/<int:pk>/read/", bound(mark_read), name="notification_read"),
    ]
