from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from alnaaktiv import frame, inbox, search, views
from alnaaktiv.forms import LoginForm
from cases.views import innsyn

urlpatterns = [
    path("", frame.start, name="start"),
    path("innboks/<slug:kind>/", inbox.inbox_list, name="inbox-list"),
    path("innboks/<slug:kind>/<int:object_id>/apne/", inbox.inbox_open, name="inbox-open"),
    path("innstillinger/", inbox.user_settings, name="user-settings"),
    path("health/", views.health_check, name="health"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("okt/forny/", views.session_renew, name="session-renew"),
    path("sok/", search.search, name="search"),
    # Innsyn: cases' view behind the admin site's own guard (cases/views/innsyn.py says why).
    path("admin/innsyn/", admin.site.admin_view(innsyn.person_log_pdf), name="admin-innsyn"),
    path("admin/", admin.site.urls),
    path("", include("cases.urls")),
    path("", include("conditions.urls")),
    path("", include("arbeidsboks.urls")),
    path("", include("reporting.urls")),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler403 = "alnaaktiv.views.permission_denied"
handler404 = "alnaaktiv.views.page_not_found"
handler500 = "alnaaktiv.views.server_error"
