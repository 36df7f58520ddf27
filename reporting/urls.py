from django.urls import path

from reporting import views

urlpatterns = [
    path("rapporter/", views.report_list, name="report-list"),
    path("rapporter/bygg/", views.report_build, name="report-build"),
    path("rapporter/<int:pk>/", views.report_detail, name="report-detail"),
    path("rapporter/<int:pk>/status/", views.report_status, name="report-status"),
    path("rapporter/<int:pk>/lukk/", views.report_close, name="report-close"),
    path("rapporter/<int:pk>/last-ned/<str:fmt>/", views.report_download, name="report-download"),
]
