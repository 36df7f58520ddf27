"""Building blocks for the conditions tests: a household case and a vedtak with vilkår, made
through the services so every phase is the one the application would reach."""
import datetime
import io
from decimal import Decimal

import pikepdf
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from alnaaktiv import access
from alnaaktiv.actor import Actor
from alnaaktiv.models import Role
from cases.models import Deltaker, Sak
from conditions import services
from conditions.models import Overforing, OverforingEksport
from tests.factories import DeltakerFactory, PersonFactory, SakFactory, role_user, with_consent

TODAY = datetime.date(2026, 3, 2)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


def _pdf() -> bytes:
    out = io.BytesIO()
    document = pikepdf.new()
    document.add_blank_page()
    document.save(out)
    return out.getvalue()


# Real files (uploads are read whole, not only by their first bytes).
PNG = _png()
PDF = _pdf()
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def sak(office, *, age: int = 40, spouse_age: int | None = None, participant: bool = True, samtykke: bool = True,
        **person_fields) -> Sak:
    """A household case of a hovedperson of `age` (with an ektefelle of `spouse_age` if given),
    by default a participant in activity who has given consent to share with KAREA (issue 16)."""
    case = SakFactory(office=office, hovedperson=PersonFactory(age=age, **person_fields),
                      ektefelle=PersonFactory(age=spouse_age) if spouse_age is not None else None)
    if participant:
        deltaker = DeltakerFactory(person=case.hovedperson, office=office, sak=case, status="i_aktivitet",
                                   status_dato=TODAY)
        if samtykke:
            with_consent(deltaker)
    return case


def vedtak(case: Sak, user, *, vilkar=("dokumentasjon",), decide: bool = True, belop: str = "5000",
           varslet: bool = True, soknad: datetime.date | None = None):
    """A vedtak with one vilkår per kind named, for the hovedperson (an activity vilkår on job search)."""
    soknad = soknad or TODAY - datetime.timedelta(days=10)
    made = services.vedtak_create(sak=case, actor=Actor.for_user(user), soknad_mottatt=soknad, periode_fra=soknad,
                                  periode_til=soknad + datetime.timedelta(days=30), belop=Decimal(belop),
                                  varslet_reduksjon=varslet)
    for kind in vilkar:
        activity = kind == "aktivitet"
        services.vilkar_create(
            vedtak=made, actor=Actor.for_user(user), person=case.hovedperson, kind=kind,
            hjemmel="sotjl_20a" if activity else "sotjl_20",
            beskrivelse="Søk 2 jobber per uke innen renhold" if activity else "Lever kvittering for husleie",
            frist=TODAY + datetime.timedelta(days=7), mengde=2 if activity else None,
            enhet="soknader_per_uke" if activity else "", tilbud="jobbsoking" if activity else "",
        )
    if decide:
        services.vedtak_decide(vedtak=made, actor=Actor.for_user(user), resultat="innvilget", vedtaksdato=soknad + datetime.timedelta(days=2),
                               unntak_20a="Dokumentert sykdom" if "aktivitet" not in vilkar else "")
    made.refresh_from_db()
    return made


def fulfil(made, user) -> None:
    """Approved documentation for every open vilkår of the vedtak (activity ones by assessment)."""
    for item in made.vilkar.filter(status="apen"):
        if item.kind == "dokumentasjon":
            services.document_register(vilkar=item, actor=Actor.for_user(user), type="husleie", mottatt=TODAY, vurdering="godkjent")
        else:
            services.vilkar_assess(vilkar=item, actor=Actor.for_user(user), oppfylt=True, begrunnelse="Godt i gang")
    made.refresh_from_db()


def page_objects(office, users) -> dict:
    """URL kwargs for the access matrix (tests/test_access_matrix.py), one set per office: an
    open vedtak with a documentation vilkår (with an uploaded file) and an activity vilkår of a
    participant, and a lifting prepared by the `vedtak` user, waiting for a leader."""
    open_vedtak = vedtak(sak(office), users["vedtak"], vilkar=("dokumentasjon", "aktivitet"))
    documentation = open_vedtak.vilkar.get(kind="dokumentasjon")
    activity = open_vedtak.vilkar.get(kind="aktivitet")
    document = services.document_register(vilkar=activity, actor=Actor.for_user(users["vedtak"]), type="oppmoteliste",
                                               mottatt=TODAY, planlagte_dager=5, oppmotte_dager=5)
    document.fil.save("matrise.pdf", ContentFile(PDF), save=False)
    document.filtype, document.filnavn = "application/pdf", "oppmote.pdf"
    document.save()
    ready = vedtak(sak(office), users["vedtak"])
    fulfil(ready, users["vedtak"])
    lifting = services.lifting_prepare(vedtak=ready, actor=Actor.for_user(users["vedtak"]))
    eksport = export(office, users)
    return {
        "vedtak": {"pk": open_vedtak.pk},
        "vilkar": {"pk": documentation.pk},
        "aktivitetsvilkar": {"pk": activity.pk},
        # the participant whose activity vilkår is on job search (applications registered by the veileder)
        "jobbsoker": {"pk": Deltaker.objects.get(person=open_vedtak.sak.hovedperson, office=office).pk},
        "dokument": {"pk": document.pk},
        "oppheving": {"pk": lifting.pk},
        "eksport": {"pk": eksport.pk},
    }


def _office_leader(office, users):
    """The leader who approves in `office`: the Alna leader there, else a leader of that office."""
    if access.has_role(users["leder"], Role.LEDER, office=office.enhetsnummer):
        return users["leder"]
    return role_user(f"leder_{office.enhetsnummer}", office, Role.LEDER)


def approved(office, users, **sak_fields):
    """A vedtak lifted by four eyes: its payout is on the hand-over list."""
    made = vedtak(sak(office, **sak_fields), users["vedtak"])
    fulfil(made, users["vedtak"])
    services.lifting_approve(oppheving=services.lifting_prepare(vedtak=made, actor=Actor.for_user(users["vedtak"])),
                             actor=Actor.for_user(_office_leader(office, users)))
    return made


def export(office, users):
    """A named export of a payout released in the office, not yet marked as sent."""
    approved(office, users)
    rows = list(Overforing.objects.filter(office=office, sendt_at__isnull=True, eksporter__isnull=True))
    return services.handover_export_create(rows=rows, actor=Actor.for_user(users["vedtak"]))[0]


def export_csv(client) -> str:
    """What the hand-over page's «Lag eksport» and «Last ned CSV» give the logged-in user: the CSV text."""
    client.post(reverse("handover-export"))
    newest = OverforingEksport.objects.order_by("-id").first()
    if newest is None:
        return ""
    response = client.get(reverse("handover-export-csv", args=[newest.pk]))
    return response.content.decode("utf-8-sig") if response.status_code == 200 else ""
