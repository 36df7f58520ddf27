from django.urls import path

from cases.views import imports, participants, screening

urlpatterns = [
    path("deltakere/", participants.portfolio, name="portfolio"),
    path("deltakere/<int:pk>/", participants.participant_detail, name="participant-detail"),
    path("deltakere/<int:pk>/henvis/", participants.participant_refer, name="participant-refer"),
    path("deltakere/<int:pk>/mote/", participants.participant_meeting, name="participant-meeting"),
    path("deltakere/<int:pk>/status/", participants.participant_transition, name="participant-transition"),
    path("deltakere/<int:pk>/journal/", participants.participant_journal, name="participant-journal"),
    path("deltakere/<int:pk>/malgruppe/", participants.participant_malgruppe, name="participant-malgruppe"),
    path("deltakere/<int:pk>/huskelapp/", participants.huskelapp_create, name="huskelapp-create"),
    path("deltakere/<int:pk>/huskelapp/<int:huskelapp_pk>/utfort/", participants.huskelapp_done, name="huskelapp-done"),
    # screening and imports (cases/views/screening.py, cases/views/imports.py)
    path("screening/", screening.screening, name="screening"),
    path("screening/ekskluder/", screening.screening_exclude_view, name="screening-exclude"),
    path("screening/registrer/", screening.screening_enrol, name="screening-enrol"),
    path("import/", imports.register_import, name="register-import"),
]
