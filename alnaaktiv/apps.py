from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AlnaAktivConfig(AppConfig):
    name = "alnaaktiv"
    verbose_name = "Alna Aktiv"


class AlnaAktivAdminConfig(admin_apps.AdminConfig):
    """The admin site is open only to users with the admin role."""

    default = False

    default_site = "alnaaktiv.admin_site.AlnaAktivAdminSite"
