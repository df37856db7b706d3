from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Jobs"

    def ready(self):
        from . import registry, tasks

        registry.discover()
        tasks.schedule_jobs(registry.all_jobs())
