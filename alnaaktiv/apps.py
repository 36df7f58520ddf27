from django.contrib.admin import apps as admin_apps
from django.apps import AppConfig


class AlnaAktivConfig(AppConfig):
    name = "alnaaktiv"
    verbose_name = "Alna Aktiv"


class AlnaAktivAdminConfig(admin_apps.AdminConfig):
    """The admin site is open only to users with the admin role."""

    default = False

    default_site = "alnaaktiv.admin_site.AlnaAktivAdminSite"
