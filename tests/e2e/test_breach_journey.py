"""Issue 15's sanction journey in Chromium: the veileder registers «ikke møtt» at an agreed
meeting on «Avtaler», which documents the participant's meeting vilkår; the no-show is found by
the next morning's detection (the beat's task run here); the vedtak unit sees the «mulig brudd»
with its evidence, sends a forhåndsvarsel and reads the letter; after the deadline it decides a
reduction that a leader approves; the hand-over list shows the reduced payout; the participant
comes back and the reduction ends. Axe-checked on every page."""
import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from alnaaktiv.actor import Actor
from alnaaktiv.models import User
from cases.models import Avtale, Avtaletype, Deltaker, Sak
from conditions import services
from conditions.models import Dokumentasjon, Forhandsvarsel, Sanksjon, SanksjonStatus, Tilbud, Vilkar
from conditions.tasks import detect_possible_breaches_task
from tests.e2e.conftest import serious_axe_violations
from tests.e2e.test_smoke import login
from tests.helpers import pdf_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
MEETING = "Møt til oppfølgingsmøtene hver tirsdag"


@pytest.fixture
def no_show(transactional_db, settings, tmp_path):
    """Demo data, a vedtak of 8 000 kr with a meeting vilkår on it, and a follow-up meeting early today."""
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()
    user = User.objects.get(username="vedtak")
    sak = Sak.objects.select_related("hovedperson").get(saksnummer="0326-0016")
    vedtak = services.vedtak_create(sak=sak, actor=Actor.for_user(user), soknad_mottatt=today - datetime.timedelta(days=10),
                                    periode_fra=today - datetime.timedelta(days=10), periode_til=today + datetime.timedelta(days=20),
                                    belop=Decimal("8000"), varslet_reduksjon=True)
    vilkar = services.vilkar_create(vedtak=vedtak, actor=Actor.for_user(user), person=sak.hovedperson, kind="aktivitet",
                                    hjemmel="sotjl_20", beskrivelse=MEETING, frist=today + datetime.timedelta(days=20),
                                    mengde=80, enhet="oppmote_prosent")
    Vilkar.objects.filter(pk=vilkar.pk).update(tilbud=Tilbud.ALNA_AKTIV)
    services.vedtak_decide(vedtak=vedtak, actor=Actor.for_user(user), resultat="innvilget",
                           vedtaksdato=today - datetime.timedelta(days=8), unntak_20a="Ikke aktuelt")
    deltaker = Deltaker.objects.get(person=sak.hovedperson, office=sak.office)
    Avtale.objects.create(deltaker=deltaker, kind=Avtaletype.OPPFOLGING, sted="Alna Aktiv, Furuset",
                          starts_at=timezone.make_aware(datetime.datetime.combine(today, datetime.time(0, 5))),
                          veileder=User.objects.get(username="veileder"), created_by=user)
    return vilkar, sak.hovedperson.navn


def _clean(page) -> None:
    assert serious_axe_violations(page) == []
    assert page.console_errors == []


def test_a_no_show_leads_to_a_warned_reduction_a_leader_approves_and_that_ends_when_the_participant_returns(
        page, live_server, screenshot, no_show):
    vilkar, name = no_show
    today = timezone.localdate()
    login(page, live_server.url, "veileder")
    page.get_by_role("link", name="Avtaler", exact=True).click()
    row = page.locator("#avtaler").locator("tr").filter(has=page.get_by_role("link", name=name))
    row.get_by_label(f"Utfall for {name}").select_option("ikke_mott")
    row.get_by_role("button", name="Registrer utfall").click()
    expect(page.get_by_role("status").filter(has_text="Avtalen er registrert som «Ikke møtt».")).to_be_visible()
    _clean(page)
    document = Dokumentasjon.objects.get(vilkar=vilkar)
    assert (document.kilde, document.fravaer_ikke_godkjent) == ("mote", 1)
    page.get_by_role("button", name="Logg ut").click()

    assert detect_possible_breaches_task() >= 1  # the beat, the next morning

    login(page, live_server.url, "vedtak")
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Vilkår", exact=True).click()
    _clean(page)
    page.get_by_role("link", name="Se mulige brudd på aktivitetsvilkår").click()
    _clean(page)
    page.get_by_role("link", name=name).first.click()
    expect(page.get_by_text(f"Oppfølgingsmøte {today:%d.%m.%Y} kl. 00.05: ikke møtt").first).to_be_visible()
    _clean(page)
    screenshot(page, "mulig-brudd")

    warning = page.locator("form", has=page.get_by_role("button", name="Send forhåndsvarsel"))
    warning.get_by_label("Reduksjon av stønaden").check()
    warning.get_by_label("Reduksjon (kr, bare ved reduksjon)").fill("1000")
    warning.get_by_label("Reduksjon fra (bare ved reduksjon)").fill(f"{today:%Y-%m-%d}")
    warning.get_by_label("Reduksjon til (bare ved reduksjon)").fill(f"{today + datetime.timedelta(days=10):%Y-%m-%d}")
    warning.get_by_role("button", name="Send forhåndsvarsel").click()
    _clean(page)
    page.get_by_role("button", name="Ja, send forhåndsvarselet").click()
    expect(page.get_by_role("status").filter(has_text="Forhåndsvarselet er registrert som sendt.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned forhåndsvarselet (PDF)").click()
    with open(download.value.path(), "rb") as letter:
        text = pdf_text(letter.read())
    assert "Forhåndsvarsel: vi vurderer å sette ned stønaden din" in text and MEETING in text and "ikke møtt" in text

    # The response deadline passes without an answer.
    Forhandsvarsel.objects.filter(brudd__vilkar=vilkar).update(svarfrist=today - datetime.timedelta(days=1))
    page.reload()
    decision = page.locator("form", has=page.get_by_role("button", name="Forbered til godkjenning"))
    decision.get_by_label("Reduksjon av stønaden").check()
    decision.get_by_label("Reduksjon (kr, bare ved reduksjon)").fill("1000")
    decision.get_by_label("Fra").fill(f"{today:%Y-%m-%d}")
    decision.get_by_label("Til (bare ved reduksjon)").fill(f"{today + datetime.timedelta(days=10):%Y-%m-%d}")
    decision.get_by_label("Begrunnelse (journalføres)").fill("Ikke møtt uten gyldig grunn, ikke svart på varselet")
    decision.get_by_role("button", name="Forbered til godkjenning").click()
    _clean(page)
    page.get_by_role("button", name="Ja, forbered til godkjenning").click()
    expect(page.get_by_role("status").filter(has_text="venter på godkjenning fra en leder")).to_be_visible()
    _clean(page)
    page.get_by_role("button", name="Logg ut").click()

    login(page, live_server.url, "leder")
    page.goto(f"{live_server.url}/innboks/reaksjoner/")
    _clean(page)
    page.get_by_role("link", name=name).first.click()
    page.get_by_role("button", name="Godkjenn reaksjonen").click()
    page.get_by_role("button", name="Ja, godkjenn").click()
    expect(page.get_by_role("status").filter(has_text="Reaksjonen er godkjent.")).to_be_visible()
    assert Sanksjon.objects.get(brudd__vilkar=vilkar).status == SanksjonStatus.GODKJENT

    # What the workflow needs for a payout on the hand-over list: the vilkår is settled and the vedtak lifted.
    leader = User.objects.get(username="leder")
    services.vilkar_waive(vilkar=vilkar, actor=Actor.for_user(leader), begrunnelse="Møter igjen fra i dag")
    services.lifting_approve(oppheving=services.lifting_prepare(vedtak=vilkar.vedtak, actor=Actor.for_user(
        User.objects.get(username="vedtak"))), actor=Actor.for_user(leader))
    page.goto(f"{live_server.url}/vilkar/utbetaling/")
    _clean(page)
    row = page.locator("#ikke-sendt").locator("xpath=..").locator("tr", has_text=name)
    expect(row).to_contain_text("1 000 kr")
    expect(row).to_contain_text("7 000 kr")
    screenshot(page, "overforing-redusert")
    page.go_back()

    page.get_by_text("Avslutt reduksjonen før tiden").click()
    page.get_by_label("Hvorfor avsluttes reaksjonen?").fill("Deltakeren møter igjen")
    page.get_by_role("button", name="Avslutt reduksjonen", exact=True).click()
    page.get_by_role("button", name="Ja, avslutt reduksjonen").click()
    expect(page.get_by_role("status").filter(has_text="Reduksjonen er avsluttet.")).to_be_visible()
    _clean(page)
    assert Sanksjon.objects.get(brudd__vilkar=vilkar).status == SanksjonStatus.AVSLUTTET
