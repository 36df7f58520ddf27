"""Letters from fixed templates in the participant's language, kept on the participant (issue 16)."""
import ast
import datetime
import gettext
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from alnaaktiv import letters
from alnaaktiv.models import AuditEntry
from cases.models import Arbeidsevnevurdering, Avtale, Brev
from tests import conditions_data
from tests.breach_data import detected_breach, prepared, warned
from tests.helpers import logged_in, pdf_text

ROOT = Path(settings.BASE_DIR)
TEST_LOCALE = ROOT / "tests" / "data" / "letter_locale"
CATALOGUES = [ROOT / "alnaaktiv" / "locale" / code / "LC_MESSAGES" / "django.po" for code in ("nb", "en")] + [
    TEST_LOCALE / "pl" / "LC_MESSAGES" / "django.po"]
TODAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 11, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def vedtak(alna, users):
    """A granted vedtak (5 000 kr) for a participant with a documentation and a job-search vilkår, due 9 March."""
    case = conditions_data.sak(alna, navn="Amina Ali")
    return conditions_data.vedtak(case, users["vedtak"], vilkar=("dokumentasjon", "aktivitet"))


def make_vedtak_letter(client, user, vedtak, language):
    person = vedtak.sak.hovedperson
    return logged_in(client, user).post(reverse("vedtak-letters", args=[vedtak.pk]), {
        "kind": "vedtak", "kilde_id": vedtak.pk, "person_id": person.pk, "language": language})


KLAGE_NB = ("Fristen for å klage er 3 uker fra den dagen du fikk dette brevet", "Send klagen til NAV Alna",
            "Statsforvalteren i Oslo og Viken", "forvaltningsloven § 18", "Du kan få hjelp til å skrive klagen")
VILKAR_NB = ("Lever kvittering for husleie", "Søk 2 jobber per uke innen renhold", "Frist 9. mars 2026",
             "Du må søke minst 2 jobber hver uke", "Lever dokumentet som er beskrevet over")


def test_the_vedtak_letter_in_bokmal_has_every_vilkar_its_deadline_what_to_show_and_the_klage_text(
        client, users, vedtak):
    response = make_vedtak_letter(client, users["vedtak"], vedtak, "nb")
    assert response.status_code == 302
    brev = Brev.objects.get(kind="vedtak", kilde_id=vedtak.pk)
    assert (brev.sprak, brev.kvalitetssikret, brev.created_by) == ("nb", True, users["vedtak"])
    assert brev.deltaker.person == vedtak.sak.hovedperson
    text = pdf_text(bytes(brev.pdf))
    for words in (*VILKAR_NB, *KLAGE_NB, "Til: Amina Ali", "Vedtak om økonomisk stønad",
                  "Du får 5 000 kr i økonomisk stønad", "kan vi sette ned stønaden din",
                  "sender vi deg et forhåndsvarsel"):
        assert words in text, words
    assert "oversettelse" not in text.lower() and "Del 2 av 2" not in text
    assert AuditEntry.objects.filter(action="create", object_type="cases.brev", object_id=str(brev.pk),
                                     person_fnr=brev.deltaker.person.fnr, username="vedtak").exists()


def test_the_vedtak_letter_in_english_carries_the_notice_in_both_languages_and_the_norwegian_original(
        client, users, vedtak):
    make_vedtak_letter(client, users["vedtak"], vedtak, "en")
    brev = Brev.objects.get(kind="vedtak", kilde_id=vedtak.pk)
    assert (brev.sprak, brev.kvalitetssikret) == ("en", False)
    text = pdf_text(bytes(brev.pdf))
    english, norwegian = text.split("Del 2 av 2: Det norske originalbrevet")
    for words in ("Part 1 of 2: Translation", "This translation has not been checked by a certified translator",
                  "Denne oversettelsen er ikke kvalitetssikret av en translatør", "Decision on financial assistance",
                  "You get NOK 5,000 in financial assistance", "Deadline 9 March 2026",
                  "The deadline for appealing is 3 weeks from the day you received this letter",
                  "County Governor of Oslo and Viken", "You must apply for at least 2 jobs every week",
                  # What NAV's staff wrote stays as written.
                  "Lever kvittering for husleie", "Søk 2 jobber per uke innen renhold"):
        assert words in english, words
    assert "Part 2 of 2: The Norwegian original letter" in english + norwegian
    for words in (*VILKAR_NB, *KLAGE_NB, "Du får 5 000 kr i økonomisk stønad"):
        assert words in norwegian, words
    assert "Fristen for å klage" not in english


def test_a_catalogue_for_a_third_language_is_offered_and_renders_without_code(client, users, vedtak):
    assert "pl" not in dict(letters.language_choices())
    with override_settings(LOCALE_PATHS=[str(TEST_LOCALE)]):
        choices = letters.language_choices("pl")
        assert choices[0] == ("pl", "Polski (ikke kvalitetssikret oversettelse)")
        assert [code for code, _ in choices] == ["pl", "nb", "en"]
        make_vedtak_letter(client, users["vedtak"], vedtak, "pl")
    brev = Brev.objects.get(kind="vedtak", kilde_id=vedtak.pk)
    assert (brev.sprak, brev.kvalitetssikret) == ("pl", False)
    polish, norwegian = pdf_text(bytes(brev.pdf)).split("Del 2 av 2: Det norske originalbrevet")
    for words in ("Decyzja w sprawie pomocy finansowej", "Termin 9 marca 2026", "5\u00a0000 NOK",
                  "Termin na złożenie odwołania wynosi 3 tygodnie", "nie zostało sprawdzone przez tłumacza",
                  "Denne oversettelsen er ikke kvalitetssikret av en translatør"):
        assert words.replace("\u00a0", " ") in polish.replace("\u00a0", " "), words
    assert "Fristen for å klage er 3 uker" in norwegian


def test_dates_and_amounts_are_written_as_each_language_writes_them():
    day = datetime.date(2026, 12, 7)
    with translation.override("nb"):
        assert (letters.letter_date(day), letters.amount(Decimal("12500.40"))) == ("7. desember 2026", "12\u00a0500 kr")
        assert letters.letter_weekday_date(day) == "mandag 7. desember 2026"
    with translation.override("en"):
        assert (letters.letter_date(day), letters.amount(Decimal("12500"))) == ("7 December 2026", "NOK 12,500")
        assert letters.letter_weekday_date(day) == "Monday 7 December 2026"


def test_the_english_catalogue_changes_no_page_the_ui_stays_bokmal(client, users, make_deltaker):
    deltaker = make_deltaker(("kandidat", "henvist"), office=users["veileder"].memberships.first().office)
    body = logged_in(client, users["veileder"]).get(reverse("participant-detail", args=[deltaker.pk]),
                                                    HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="nb"' in body and ">Brev</a>" in body
    assert settings.LANGUAGES == [("nb", "Norsk bokmål")]


def _po_messages(path: Path) -> dict:
    """The translated messages of a .po file: {(context, msgid): msgstr or (msgstr[0], …)}."""
    messages, entry, field = {}, {}, None

    def flush():
        if entry.get("msgid"):
            key = (entry.get("msgctxt"), entry["msgid"])
            forms = tuple(entry[name] for name in sorted(entry) if name.startswith("msgstr["))
            messages[key] = forms or entry["msgstr"]

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            flush()
            entry, field = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, value = line.split(" ", 1)
            entry[field] = ast.literal_eval(value)
    return messages


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: path.parent.parent.name)
def test_each_letter_catalogue_has_a_compiled_mo_that_agrees_with_its_po(po):
    with po.with_suffix(".mo").open("rb") as stream:
        compiled = gettext.GNUTranslations(stream)._catalog
    for (context, msgid), msgstr in _po_messages(po).items():
        key = f"{context}\x04{msgid}" if context else msgid
        if isinstance(msgstr, tuple):
            assert tuple(compiled[(key, n)] for n in range(len(msgstr))) == msgstr, msgid
        else:
            assert compiled[key] == msgstr, msgid


def test_bokmal_and_english_hold_every_letter_message_and_bokmal_translates_each_to_itself():
    nb, en = (_po_messages(path) for path in CATALOGUES[:2])
    letter_messages = set(en)
    assert letter_messages <= set(nb)
    assert all(nb[key] in (key[1], ()) or isinstance(nb[key], tuple) for key in letter_messages)
    assert all(value for value in en.values())


# Pages and permissions


@pytest.fixture
def participant(alna, users, make_deltaker, make_person):
    deltaker = make_deltaker(("kandidat", "henvist", "mott"), office=alna, veileder=users["veileder"],
                             person=make_person(navn="Amina Ali", skriftsprak="en"))
    Avtale.objects.create(deltaker=deltaker, kind="oppfolging", starts_at=timezone.make_aware(
        datetime.datetime(2026, 3, 5, 10, 0)), sted="Alna Aktiv, rom 2", tolk=True, tolkesprak="somali",
        veileder=users["veileder"], created_by=users["veileder"])
    Arbeidsevnevurdering.objects.create(
        deltaker=deltaker, versjon=1, status="signert", del_a="a", del_b="b", del_c="c", del_d="d", del_e="e",
        innsatsgruppe="situasjonsbestemt", hovedmal="oke_deltakelse", begrunnelse="Trenger norskopplæring først.",
        created_by=users["veileder"], signed_by=users["veileder"], signed_at=timezone.now())
    return deltaker


def test_the_letter_page_offers_each_source_with_the_preferred_language_first_in_fixed_queries(
        client, users, participant, django_assert_num_queries):
    logged_in(client, users["veileder"])
    url = reverse("letter-list", args=[participant.pk])
    client.get(url)
    with django_assert_num_queries(13):
        body = client.get(url).content.decode()
    assert "Innkalling til oppfølgingsmøte 05.03.2026" in body and "Vedtak etter § 14 a, versjon 1" in body
    first_options = [part.split(">")[0] for part in body.split('<option value="')[1:]]
    assert first_options[0].startswith('en"') and "English (ikke kvalitetssikret oversettelse)" in body
    assert AuditEntry.objects.filter(action="read", person_fnr=participant.person.fnr, username="veileder").exists()
    # More appointments and kept letters cost no more queries.
    for day in (6, 9):
        Avtale.objects.create(deltaker=participant, kind="oppfolging", starts_at=timezone.make_aware(
            datetime.datetime(2026, 3, day, 10, 0)), sted="Rom 2", veileder=users["veileder"],
            created_by=users["veileder"])
        Brev.objects.create(deltaker=participant, kind="innkalling", tittel=f"Innkalling {day}", sprak="en",
                            kvalitetssikret=False, pdf=b"%PDF", created_by=users["hovedveileder"])
    with django_assert_num_queries(13):
        client.get(url)


@pytest.mark.parametrize("role, status", [("karea", 403), ("controller", 403), ("vedtak", 403), ("leder", 403),
                                          ("veileder_stovner", 404), ("hovedveileder", 200), ("prosjektleder", 200)])
def test_the_letter_page_is_for_navs_follow_up_roles_of_the_office(client, users, participant, role, status):
    assert logged_in(client, users[role]).get(reverse("letter-list", args=[participant.pk])).status_code == status


def test_a_kept_letter_is_made_in_the_chosen_language_listed_and_downloaded_identical_and_audited(
        client, users, participant):
    logged_in(client, users["veileder"])
    vurdering = participant.vurderinger.get()
    response = client.post(reverse("letter-create", args=[participant.pk]),
                           {"kind": "paragraf_14a", "kilde_id": vurdering.pk, "language": "en"}, follow=True)
    brev = Brev.objects.get(deltaker=participant)
    body = response.content.decode()
    assert "Vedtak etter § 14 a (versjon 1)" in body and "ikke kvalitetssikret oversettelse" in body
    text = pdf_text(bytes(brev.pdf))
    assert "Take part more" in text and "Øke deltakelse" in text and "NAV klageinstans" in text
    assert "Trenger norskopplæring først." in text and "3 weeks from the day you received" in text
    download = client.get(reverse("letter-download", args=[participant.pk, brev.pk]))
    assert download["Content-Type"] == "application/pdf" and download.content == bytes(brev.pdf)
    assert AuditEntry.objects.filter(action="export", object_id=str(brev.pk), username="veileder").exists()
    assert logged_in(client, users["veileder_stovner"]).get(
        reverse("letter-download", args=[participant.pk, brev.pk])).status_code == 404


def test_the_innkalling_letter_shows_the_booked_interpreter_and_a_foreign_source_is_refused(
        client, users, participant, alna, make_deltaker):
    logged_in(client, users["veileder"])
    avtale = participant.avtaler.get()
    client.post(reverse("letter-create", args=[participant.pk]),
                {"kind": "innkalling", "kilde_id": avtale.pk, "language": "nb"})
    text = pdf_text(bytes(Brev.objects.get(deltaker=participant).pdf))
    assert "Vi har bestilt tolk på somali" in text and "torsdag 5. mars 2026 kl. 10.00" in text
    other = make_deltaker(("kandidat", "henvist"), office=alna)
    response = client.post(reverse("letter-create", args=[other.pk]),
                           {"kind": "innkalling", "kilde_id": avtale.pk, "language": "nb"}, follow=True)
    assert "bare for planlagte avtaler" in response.content.decode()
    assert not Brev.objects.filter(deltaker=other).exists()


@pytest.mark.parametrize("role, status", [("veileder", 403), ("leder", 403), ("prosjektleder", 403),
                                          ("karea", 403), ("controller", 403), ("vedtak", 200)])
def test_the_vedtak_letters_are_the_vedtak_units(client, users, vedtak, role, status):
    assert logged_in(client, users[role]).get(reverse("vedtak-letters", args=[vedtak.pk])).status_code == status


def test_the_vedtak_unit_downloads_a_kept_vedtak_letter_and_others_cannot(client, users, vedtak):
    make_vedtak_letter(client, users["vedtak"], vedtak, "nb")
    brev = Brev.objects.get()
    assert client.get(reverse("conditions-letter-download", args=[brev.pk])).content == bytes(brev.pdf)
    assert logged_in(client, users["leder"]).get(
        reverse("conditions-letter-download", args=[brev.pk])).status_code == 403


def test_a_person_who_is_not_a_participant_gets_the_letter_without_it_being_kept(client, users, alna):
    case = conditions_data.sak(alna, participant=False)
    made = conditions_data.vedtak(case, users["vedtak"])
    response = make_vedtak_letter(client, users["vedtak"], made, "nb")
    assert response["Content-Type"] == "application/pdf" and "Lever kvittering for husleie" in pdf_text(response)
    assert not Brev.objects.exists()
    assert AuditEntry.objects.filter(action="export", person_fnr=case.hovedperson.fnr, username="vedtak").exists()


def test_the_forhandsvarsel_and_the_decided_reduction_letters_are_made_on_the_vedtak(client, users, alna):
    brudd = detected_breach(alna, users["vedtak"])
    warned(brudd, users["vedtak"])
    sanksjon = prepared(brudd, users["vedtak"])
    vedtak = brudd.vilkar.vedtak
    logged_in(client, users["vedtak"])
    body = client.get(reverse("vedtak-letters", args=[vedtak.pk])).content.decode()
    assert "Forhåndsvarsel til" in body and "Vedtak om reduksjon" not in body  # not decided yet
    from alnaaktiv.actor import Actor  # noqa: PLC0415
    from conditions import services  # noqa: PLC0415
    services.sanction_approve(sanksjon=sanksjon, actor=Actor.for_user(users["leder"]))
    client.post(reverse("vedtak-letters", args=[vedtak.pk]), {
        "kind": "reaksjon", "kilde_id": sanksjon.pk, "person_id": brudd.vilkar.person_id, "language": "nb"})
    text = pdf_text(bytes(Brev.objects.get(kind="reaksjon").pdf))
    assert "Vi setter ned stønaden din med 1 000 kr" in text and "Fristen for å klage er 3 uker" in text
    assert "Vi sendte deg et forhåndsvarsel" in text
