from django.urls import path

from conditions.views import lifting, participant, vedtak, vedtak_list, worklist

urlpatterns = [
    path("vilkar/", worklist.worklist, name="conditions-worklist"),
    path("vilkar/aktivitet/", worklist.activity_list, name="activity-list"),
    path("vilkar/vilkar/<int:pk>/vurdering/", worklist.vilkar_assess, name="vilkar-assess"),
    path("vilkar/vedtak/", vedtak_list.vedtak_list, name="vedtak-list"),
    path("vilkar/vedtak/ny/", vedtak.vedtak_create, name="vedtak-create"),
    path("vilkar/vedtak/<int:pk>/", vedtak.vedtak_detail, name="vedtak-detail"),
    path("vilkar/vedtak/<int:pk>/fatt/", vedtak.vedtak_decide, name="vedtak-decide"),
    path("vilkar/vedtak/<int:pk>/vilkar/", vedtak.vilkar_create, name="vilkar-create"),
    path("vilkar/vedtak/<int:pk>/oppheving/", lifting.lifting_prepare, name="lifting-prepare"),
    path("vilkar/vilkar/<int:pk>/bortfall/", vedtak.vilkar_waive, name="vilkar-waive"),
    path("vilkar/vilkar/<int:pk>/tilbud/", vedtak.vilkar_set_offer, name="vilkar-offer"),
    path("vilkar/deltaker/<int:pk>/soknader/", participant.applications_register, name="applications-register"),
    path("vilkar/vilkar/<int:pk>/reduksjon/", vedtak.reduction_create, name="reduction-create"),
    path("vilkar/vilkar/<int:pk>/dokumentasjon/", vedtak.document_register, name="document-register"),
    path("vilkar/dokumentasjon/<int:pk>/vurdering/", vedtak.document_assess, name="document-assess"),
    path("vilkar/dokumentasjon/<int:pk>/fil/", vedtak.document_download, name="document-download"),
    path("vilkar/oppheving/", lifting.lifting_queue, name="lifting-queue"),
    path("vilkar/oppheving/<int:pk>/", lifting.lifting_review, name="lifting-review"),
    path("vilkar/oppheving/<int:pk>/godkjenn/", lifting.lifting_approve, name="lifting-approve"),
    path("vilkar/oppheving/<int:pk>/avvis/", lifting.lifting_reject, name="lifting-reject"),
    path("vilkar/oppheving/<int:pk>/pdf/", lifting.lifting_pdf, name="lifting-pdf"),
    path("vilkar/utbetaling/", lifting.handover_list, name="handover-list"),
    path("vilkar/utbetaling/eksport/", lifting.handover_export, name="handover-export"),
    path("vilkar/utbetaling/eksport/<int:pk>.csv", lifting.handover_export_csv, name="handover-export-csv"),
    path("vilkar/utbetaling/eksport/<int:pk>/sendt/", lifting.handover_mark_sent, name="handover-mark-sent"),
    path("vilkar/utbetaling/eksport/<int:pk>/angre/", lifting.handover_undo_sent, name="handover-undo-sent"),
]
