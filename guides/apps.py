from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GuidesConfig(AppConfig):
    name = "guides"

    def ready(self):
        from .roles import sync_roles

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="guides.roles.sync")
