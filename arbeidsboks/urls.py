from django.urls import path

from arbeidsboks import kurs_views, views

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
    path("arbeidsboks/kurs/", kurs_views.course_list, name="course-list"),
    path("arbeidsboks/kurs/nytt/", kurs_views.course_create, name="course-create"),
    path("arbeidsboks/kurs/planlegging/", kurs_views.planning, name="course-planning"),
    path("arbeidsboks/kurs/<int:pk>/", kurs_views.course_detail, name="course-detail"),
    path("arbeidsboks/kurs/<int:pk>/endre/", kurs_views.course_edit, name="course-edit"),
    path("arbeidsboks/kurs/<int:pk>/pamelding/", kurs_views.enrolment_create, name="course-enrol"),
    path("arbeidsboks/kurs/<int:pk>/samlinger/", kurs_views.session_create, name="session-create"),
    path("arbeidsboks/kurs/<int:pk>/samlinger/generer/", kurs_views.sessions_generate, name="sessions-generate"),
    path("arbeidsboks/kurs/deltakelser/<int:pk>/avslutt/", kurs_views.enrolment_end, name="enrolment-end"),
    path("arbeidsboks/kurs/deltaker/<int:pk>/pamelding/", kurs_views.participant_enrol,
         name="participant-course-enrol"),
    path("arbeidsboks/kurs/samlinger/<int:pk>/oppmote/", kurs_views.session_attendance, name="session-attendance"),
]
