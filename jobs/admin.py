from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import registry, running, selectors
from .models import JobRun, OutgoingEmail


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """The Jobs page: each job's schedule, last and next run, last error and a Run now button; then recent runs."""

    list_display = ["job", "trigger", "created_at", "outcome", "items_changed", "summary"]
    readonly_fields = [field.name for field in JobRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("run/<str:name>/", self.admin_site.admin_view(self.run_now_view), name="jobs_jobrun_run"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        job_name = request.GET.get("job", "")
        context = {
            **self.admin_site.each_context(request),
            "title": "Jobs",
            "opts": self.opts,
            "rows": selectors.job_rows(timezone.now()),
            "runs": selectors.recent_runs(job_name),
            "job_name": job_name,
            "can_run": request.user.has_perm("jobs.run_jobrun"),
            "time_zone": settings.TIME_ZONE,
        }
        return TemplateResponse(request, "admin/jobs/jobs.html", context)

    @staticmethod
    @require_POST
    def run_now_view(request, name):
        if not request.user.has_perm("jobs.run_jobrun"):
            raise PermissionDenied
        try:
            job = registry.get(name)
        except KeyError:
            raise Http404("No such job") from None
        if not job.can_run_now:
            raise PermissionDenied
        running.start(job, trigger=JobRun.Trigger.ADMIN, user=request.user)
        messages.success(request, f"“{job.title}” is queued; this page shows its run once a worker has taken it.")
        return HttpResponseRedirect(reverse("admin:jobs_jobrun_changelist"))


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
