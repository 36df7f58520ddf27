from django.urls import path

from arbeidsboks import views

urlpatterns = [
    path("arbeidsboks/", views.overview, name="arbeidsboks-overview"),
    path("arbeidsboks/omrader/<int:pk>/", views.workarea_detail, name="workarea-detail"),
    path("arbeidsboks/omrader/<int:pk>/tilby-plasser/", views.waitlist_offer, name="waitlist-offer"),
    path("arbeidsboks/omrader/<int:pk>/frammote/", views.workarea_attendance, name="workarea-attendance"),
    path("arbeidsboks/deltakere/<int:pk>/plassering/", views.placement_create, name="placement-create"),
    path("arbeidsboks/deltakere/<int:pk>/tiltak/", views.state_measures, name="state-measures"),
    path("arbeidsboks/plasseringer/<int:pk>/", views.placement_detail, name="placement-detail"),
    path("arbeidsboks/plasseringer/<int:pk>/endre/", views.placement_edit, name="placement-edit"),
    path("arbeidsboks/frammote/<int:pk>/rett/", views.attendance_correct, name="attendance-correct"),
    path("arbeidsboks/plasseringer/<int:pk>/start/", views.placement_start, name="placement-start"),
    path("arbeidsboks/plasseringer/<int:pk>/avslutt/", views.placement_end, name="placement-end"),
    path("arbeidsboks/plasseringer/<int:pk>/evaluering/", views.evaluation_create, name="evaluation-create"),
]
