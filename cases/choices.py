"""Codes shared by registers, participants and reports (docs/domain.md §3, §4 and §6)."""
from django.db import models


class Arbeidssokerstatus(models.TextChoices):
    HELT_LEDIG = "helt_ledig", "Helt ledig"
    DELVIS_SYSSELSATT = "delvis_sysselsatt", "Delvis sysselsatt"
    ORDINAER_TILTAKSDELTAKER = "ordinaer_tiltaksdeltaker", "Ordinær tiltaksdeltaker"
    ANDRE_ARBEIDSSOKERE = "andre_arbeidssokere", "Andre arbeidssøkere"
    YRKESHEMMET_I_TILTAK = "yrkeshemmet_i_tiltak", "Yrkeshemmet i tiltak"
    YRKESHEMMET_VENTER = "yrkeshemmet_venter", "Yrkeshemmet, venter"
    IKKE_REGISTRERT = "ikke_registrert", "Ikke registrert"


class Innsatsgruppe(models.TextChoices):
    STANDARD = "standard", "Standard innsats"
    SITUASJONSBESTEMT = "situasjonsbestemt", "Situasjonsbestemt innsats"
    SPESIELT_TILPASSET = "spesielt_tilpasset", "Spesielt tilpasset innsats"
    GRADERT_VARIG_TILPASSET = "gradert_varig_tilpasset", "Gradert varig tilpasset innsats"
    VARIG_TILPASSET = "varig_tilpasset", "Varig tilpasset innsats"


class Malgruppe(models.TextChoices):
    """Target groups; when derived, the first that applies wins in this order."""

    UNGDOM_20_24 = "ungdom_20_24", "Ungdom 20–24 år"
    ENEFORSORGER = "eneforsorger", "Eneforsørger"
    LANGTIDSMOTTAKER = "langtidsmottaker", "Langtidsmottaker"
    OVRIGE = "ovrige", "Øvrige"


class SakRolle(models.TextChoices):
    HOVEDPERSON = "hovedperson", "Hovedperson"
    EKTEFELLE = "ektefelle", "Ektefelle"
