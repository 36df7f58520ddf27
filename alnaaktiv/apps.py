from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AlnaAktivConfig(AppConfig):
    name = "alnaaktiv"
    verbose_name = "Alna Aktiv"

    def ready(self):
        # The frame composes pages from several apps once every app is loaded.
        from alnaaktiv import frame  # noqa: PLC0415 — the apps' views import models: not before ready()

        frame.compose_participant_page()


class AlnaAktivAdminConfig(admin_apps.AdminConfig):
    """The admin site is open only to users with the admin role."""

    default = False

    default_site = "alnaaktiv.admin_site.AlnaAktivAdminSite"
