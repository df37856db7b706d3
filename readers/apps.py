from django.apps import AppConfig


class ReadersConfig(AppConfig):
    name = "readers"
    verbose_name = "Reader site"

    def ready(self):
        from . import signals

        signals.connect()
