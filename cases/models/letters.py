"""Letters to the participant (brev), rendered from fixed templates to PDF and kept as sent, so
the participant page shows exactly what the person received (issue 16)."""
from django.conf import settings
from django.db import models
from django.db.models import Q

from alnaaktiv.models import CheckedModel
from cases.models.participants import Deltaker


class Brevtype(models.TextChoices):
    INNKALLING = "innkalling", "Innkalling til møte"
    VEDTAK = "vedtak", "Vedtak om økonomisk stønad med vilkår"
    FORHANDSVARSEL = "forhandsvarsel", "Forhåndsvarsel"
    REAKSJON = "reaksjon", "Vedtak om reduksjon eller stans"
    ARBEIDSEVNEVURDERING = "paragraf_14a", "Vedtak etter § 14 a"
    SAMTYKKE = "samtykke", "Samtykkeskjema"


class Brev(CheckedModel):
    deltaker = models.ForeignKey(Deltaker, on_delete=models.CASCADE, related_name="brev")
    kind = models.CharField("type brev", max_length=14, choices=Brevtype.choices)
    # The id of the appointment, vedtak, forhåndsvarsel, sanction or assessment it was made from.
    kilde_id = models.PositiveIntegerField("laget fra", null=True, blank=True)
    tittel = models.CharField("tittel", max_length=200)
    sprak = models.CharField("språk", max_length=2)
    # False for a translation not checked by a translator: the letter itself says so.
    kvalitetssikret = models.BooleanField("oversettelsen er kvalitetssikret", default=True)
    pdf = models.BinaryField("PDF", editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="laget av")
    created_at = models.DateTimeField("laget", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "brev"
        verbose_name_plural = "brev"
        indexes = [models.Index(fields=["deltaker", "-created_at"], name="brev_deltaker_newest")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Brevtype.values), name="brev_kind_valid",
                                   violation_error_message="Velg en gyldig type brev."),
            models.CheckConstraint(condition=Q(sprak__regex=r"^[a-z]{2}$"), name="brev_sprak_code",
                                   violation_error_message="Språket må være en språkkode med to bokstaver."),
            models.CheckConstraint(condition=~Q(tittel=""), name="brev_tittel_required",
                                   violation_error_message="Brevet må ha en tittel."),
        ]

    def __str__(self) -> str:
        return self.tittel
