from django.urls import path

from cases.views import participants

urlpatterns = [
    path("deltakere/", participants.portfolio, name="portfolio"),
    path("deltakere/<int:pk>/", participants.participant_detail, name="participant-detail"),
    # screening and imports (cases/views/screening.py, cases/views/imports.py)
]
