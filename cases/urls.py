from django.urls import path

from cases.views import imports, mapping, participants, screening

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
    # kartlegging, arbeidsevnevurdering, aktivitetsplan and route (cases/views/mapping.py)
    path("deltakere/tilbakeforte/", mapping.handback_list, name="handback-list"),
    path("deltakere/<int:pk>/kartlegging/", mapping.mapping_detail, name="mapping-detail"),
    path("deltakere/<int:pk>/kartlegging/start/", mapping.mapping_start, name="mapping-start"),
    path("deltakere/<int:pk>/kartlegging/lagre/", mapping.mapping_update, name="mapping-update"),
    path("deltakere/<int:pk>/kartlegging/klart-jeg-kan/", mapping.mapping_week, name="mapping-week"),
    path("deltakere/<int:pk>/vurdering/", mapping.assessment_save, name="assessment-save"),
    path("deltakere/<int:pk>/vurdering/ny-versjon/", mapping.assessment_new_version, name="assessment-new-version"),
    path("deltakere/<int:pk>/vurdering/<int:vurdering_pk>/signer/", mapping.assessment_sign, name="assessment-sign"),
    path("deltakere/<int:pk>/vurdering/<int:vurdering_pk>/godkjenn/", mapping.assessment_approve,
         name="assessment-approve"),
    path("deltakere/<int:pk>/vurdering/<int:vurdering_pk>/tilbake/", mapping.assessment_return,
         name="assessment-return"),
    path("deltakere/<int:pk>/vurdering/<int:vurdering_pk>/pdf/", mapping.assessment_pdf, name="assessment-pdf"),
    path("deltakere/<int:pk>/aktiviteter/", mapping.activity_create, name="activity-create"),
    path("deltakere/<int:pk>/aktiviteter/<int:aktivitet_pk>/", mapping.activity_edit, name="activity-edit"),
    path("deltakere/<int:pk>/aktivitetsplan/", mapping.plan_print, name="plan-print"),
    path("deltakere/<int:pk>/aktivitetsplan/pdf/", mapping.plan_pdf, name="plan-pdf"),
    path("deltakere/<int:pk>/rute/", mapping.route_decide, name="route-decide"),
    path("deltakere/<int:pk>/tilbakeforing/<int:tilbakeforing_pk>/mottatt/", mapping.handback_receive,
         name="handback-receive"),
    path("deltakere/<int:pk>/tilbakeforing/<int:tilbakeforing_pk>/angre-mottatt/", mapping.handback_undo_receipt,
         name="handback-undo-receipt"),
    # screening and imports (cases/views/screening.py, cases/views/imports.py)
    path("screening/", screening.screening, name="screening"),
    path("screening/ekskluder/", screening.screening_exclude_view, name="screening-exclude"),
    path("screening/registrer/", screening.screening_enrol, name="screening-enrol"),
    path("import/", imports.register_import, name="register-import"),
]
