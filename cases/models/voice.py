"""The participant's own voice (brukermedvirkning, issue 16): their statement on the activity
plan and on the § 14 a assessment, and the anonymous end-of-course survey."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from alnaaktiv.models import CheckedModel, Office
from cases.models.mapping import Arbeidsevnevurdering
from cases.models.participants import Deltaker


class UttalelseGjelder(models.TextChoices):
    PLAN = "plan", "Aktivitetsplanen"
    ARBEIDSEVNEVURDERING = "vurdering", "Arbeidsevnevurderingen (§ 14 a)"


class Standpunkt(models.TextChoices):
    ENIG = "enig", "Enig"
    UENIG = "uenig", "Uenig"


class Uttalelse(CheckedModel):
    """What the participant says about their plan or assessment, in their own words. A newer
    statement does not erase an older one: both are part of the case."""

    deltaker = models.ForeignKey(Deltaker, on_delete=models.CASCADE, related_name="uttalelser")
    gjelder = models.CharField("gjelder", max_length=9, choices=UttalelseGjelder.choices)
    vurdering = models.ForeignKey(Arbeidsevnevurdering, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="uttalelser", verbose_name="versjon av vurderingen")
    standpunkt = models.CharField("deltakeren er", max_length=5, choices=Standpunkt.choices)
    tekst = models.TextField("deltakerens uttalelse med egne ord")
    dato = models.DateField("dato")
    med_tolk = models.BooleanField("gitt med tolk", default=False)
    registrert_av = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name="registrert av")
    registrert_at = models.DateTimeField("registrert", auto_now_add=True)

    class Meta:
        ordering = ["-dato", "-id"]
        verbose_name = "deltakerens uttalelse"
        verbose_name_plural = "deltakerens uttalelser"
        constraints = [
            models.CheckConstraint(condition=Q(gjelder__in=UttalelseGjelder.values), name="uttalelse_gjelder_valid",
                                   violation_error_message="Velg hva uttalelsen gjelder."),
            models.CheckConstraint(condition=Q(standpunkt__in=Standpunkt.values), name="uttalelse_standpunkt_valid",
                                   violation_error_message="Velg om deltakeren er enig eller uenig."),
            models.CheckConstraint(condition=~Q(tekst=""), name="uttalelse_tekst_required",
                                   violation_error_message="Skriv hva deltakeren sa, med deltakerens egne ord."),
            models.CheckConstraint(
                condition=Q(gjelder=UttalelseGjelder.PLAN, vurdering__isnull=True)
                | Q(gjelder=UttalelseGjelder.ARBEIDSEVNEVURDERING, vurdering__isnull=False),
                name="uttalelse_vurdering_exactly_for_assessment",
                violation_error_message="En uttalelse om arbeidsevnevurderingen gjelder én versjon av den.",
                violation_error_code="vurdering"),
        ]

    def __str__(self) -> str:
        return f"Uttalelse om {self.get_gjelder_display().lower()}"


# Fewer answers than this in an office's month are too few to show anything of them: a mean or a
# comment could be tied to the one or two people who ended that month (the reports' small numbers).
SURVEY_MIN_ANSWERS = 5

# The five statements of the end-of-course survey, each answered 1 (helt uenig) to 5 (helt enig).
SURVEY_QUESTIONS = [
    ("sporsmal_1", "Jeg ble møtt med respekt."),
    ("sporsmal_2", "Jeg fikk være med og bestemme hva som skulle skje."),
    ("sporsmal_3", "Jeg forsto informasjonen jeg fikk."),
    ("sporsmal_4", "Aktivitetene var nyttige for meg."),
    ("sporsmal_5", "Jeg er nærmere arbeid eller utdanning nå enn da jeg begynte."),
]


def _score(number: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(SURVEY_QUESTIONS[number - 1][1])


class Brukerundersokelse(CheckedModel):
    """One anonymous answer to the end-of-course survey. It carries no person and no
    participant, only the office and the month it was answered, so the report can count it and
    nobody can trace it back; Deltaker.undersokelse_besvart tells that a participant answered.
    The key is random, not a sequence: a sequential id could be lined up with the order in which
    participants answered (the audit log's times) and name the person behind an answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", verbose_name="kontor")
    maned = models.DateField("måned besvart")  # the first day of the month
    sporsmal_1 = _score(1)
    sporsmal_2 = _score(2)
    sporsmal_3 = _score(3)
    sporsmal_4 = _score(4)
    sporsmal_5 = _score(5)
    fritekst = models.TextField("noe mer du vil si?", blank=True)

    class Meta:
        verbose_name = "svar på brukerundersøkelsen"
        verbose_name_plural = "svar på brukerundersøkelsen"
        indexes = [models.Index(fields=["office", "maned"], name="undersokelse_office_month")]
        constraints = [
            models.CheckConstraint(condition=Q(maned__day=1), name="undersokelse_month_first_day",
                                   violation_error_message="Måneden lagres som den første dagen i måneden."),
            *[models.CheckConstraint(condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                                     name=f"undersokelse_{name}_1_to_5",
                                     violation_error_message="Velg et svar fra 1 til 5.")
              for name, _ in SURVEY_QUESTIONS],
        ]

    def __str__(self) -> str:
        return f"Svar {self.pk}"
