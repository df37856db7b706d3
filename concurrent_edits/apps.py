from django.apps import AppConfig


class ConcurrentEditsConfig(AppConfig):
    name = "concurrent_edits"
    verbose_name = "Concurrent edits"
