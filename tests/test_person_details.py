"""The participant's language, interpreter need, education and contact details (issue 16): what
each role sees on the participant page, the edit form (who may, bad input at its field, a stale
form refused), the audit entries and the page's query count."""
import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alnaaktiv.actor import Actor
from alnaaktiv.languages import LANGUAGE_NAMES, language_choices, language_name
from alnaaktiv.models import AuditEntry
from arbeidsboks import kurs_services
from cases import services
from cases.models import Avtale, Person
from tests import kurs_data
from tests.html import field_has_error, field_tag, section

ENROLLED = ("kandidat", "henvist", "mott")


@pytest.fixture
def deltaker(make_deltaker, make_person, users):
    person = make_person(navn="Hodan Ali", forstesprak="so", tolk=True, utdanningsniva="videregaende",
                         utdanning_godkjent=False, telefon="912 34 567", epost="hodan@example.no", skriftsprak="en")
    return make_deltaker(ENROLLED, person=person, veileder=users["veileder"])


def _page(client, deltaker) -> str:
    return client.get(reverse("participant-detail", args=[deltaker.pk])).content.decode()


def _post(client, deltaker, **changes):
    person = Person.objects.get(pk=deltaker.person_id)
    data = {"forstesprak": person.forstesprak, "tolk": {True: "ja", False: "nei"}.get(person.tolk, ""),
            "tolkesprak": person.tolkesprak, "utdanningsniva": person.utdanningsniva,
            "utdanning_godkjent": {True: "ja", False: "nei"}.get(person.utdanning_godkjent, ""),
            "telefon": person.telefon, "epost": person.epost, "skriftsprak": person.skriftsprak,
            "seen": services.person_details_seen(person), **changes}
    return client.post(reverse("participant-person-details", args=[deltaker.pk]), data)


def _details(deltaker) -> tuple:
    person = Person.objects.get(pk=deltaker.person_id)
    return tuple(getattr(person, name) for name in services.persons.PERSON_DETAIL_FIELDS)


# --- what the page shows ------------------------------------------------------------------------


def test_the_veileder_sees_language_interpreter_education_and_contact_with_norwegian_language_names(
    client, users, deltaker,
):
    client.force_login(users["veileder"])
    page = section(_page(client, deltaker), "sprak")
    for text in ("Førstespråk", "somali", "Ja, somali", "Foretrukket skriftspråk", "engelsk",
                 "Videregående skole", "godkjent i Norge: nei", "912 34 567", "hodan@example.no",
                 "Endre språk, utdanning og kontakt"):
        assert text in page
    assert AuditEntry.objects.filter(action="read", person_fnr=deltaker.person.fnr).count() == 1


def test_the_interpreter_need_is_marked_under_the_participants_header(client, users, deltaker):
    client.force_login(users["veileder"])
    page = _page(client, deltaker)
    marker = section(page, "tolkebehov")
    assert "Trenger tolk" in marker and "somali" in marker
    assert page.index("</header>") < page.index('id="tolkebehov"') < page.index('id="sprak"')


def test_a_named_interpreter_language_is_shown_instead_of_the_first_language(client, users, deltaker):
    Person.objects.filter(pk=deltaker.person_id).update(forstesprak="ku", tolkesprak="ar")
    client.force_login(users["veileder"])
    assert "Trenger tolk</strong>: arabisk" in _page(client, deltaker)


def test_no_marker_and_unknown_values_for_a_person_without_details(client, users, make_deltaker):
    deltaker = make_deltaker(ENROLLED)
    client.force_login(users["veileder"])
    page = _page(client, deltaker)
    assert 'id="tolkebehov"' not in page
    details = section(page, "sprak")
    assert details.count("Ukjent") >= 2 and "Ikke registrert" in details and "norsk bokmål" in details


def test_karea_sees_the_language_and_interpreter_need_but_neither_education_nor_contact_nor_the_form(
    client, users, deltaker,
):
    client.force_login(users["karea"])
    page = _page(client, deltaker)
    details = section(page, "sprak")
    assert "somali" in details and "Ja, somali" in section(page, "tolkebehov") + details
    for hidden in ("Videregående skole", "912 34 567", "hodan@example.no", "Endre språk, utdanning og kontakt",
                   reverse("participant-person-details", args=[deltaker.pk])):
        assert hidden not in page


# --- who may edit ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["veileder", "hovedveileder", "prosjektleder"])
def test_nav_roles_of_the_office_edit_the_details_and_the_change_is_audited_naming_them(
    client, users, deltaker, role,
):
    client.force_login(users[role])
    response = _post(client, deltaker, forstesprak="ti", tolk="ja", tolkesprak="am", utdanningsniva="hoyere_kort",
                     utdanning_godkjent="ja", telefon="+47  900 11 222", epost="ny@example.no", skriftsprak="")
    assert response.status_code == 302 and response.url.endswith("#sprak")
    assert _details(deltaker) == ("ti", True, "am", "hoyere_kort", True, "+47 900 11 222", "ny@example.no", "")
    entry = AuditEntry.objects.get(action="update")
    assert (entry.username, entry.role, entry.person_fnr, entry.object_type, entry.office) == (
        role, role, deltaker.person.fnr, "cases.person", "0326")
    assert "Språk, utdanning og kontaktopplysninger er lagret." in _page(client, deltaker)


def test_saving_without_a_change_writes_no_entry(client, users, deltaker):
    client.force_login(users["veileder"])
    assert _post(client, deltaker).status_code == 302
    assert not AuditEntry.objects.filter(action="update").exists()


def test_unknown_is_saved_as_unknown(client, users, deltaker):
    client.force_login(users["veileder"])
    _post(client, deltaker, tolk="", utdanning_godkjent="", forstesprak="", telefon="", epost="")
    assert _details(deltaker) == ("", None, "", "videregaende", None, "", "", "en")


@pytest.mark.parametrize(("role", "status"), [
    ("karea", 403), ("controller", 403), ("vedtak", 403), ("leder", 403), ("uten_rolle", 403),
    ("veileder_stovner", 404),
])
def test_others_may_not_edit_the_details_and_nothing_is_written(client, users, deltaker, role, status):
    before = _details(deltaker)
    client.force_login(users[role])
    assert _post(client, deltaker, forstesprak="pl", telefon="99999999").status_code == status
    assert _details(deltaker) == before
    assert not AuditEntry.objects.filter(action="update").exists()


@pytest.mark.parametrize(("role", "status"), [("controller", 403), ("vedtak", 403), ("veileder_stovner", 404)])
def test_roles_without_the_participant_page_do_not_see_the_details(client, users, deltaker, role, status):
    client.force_login(users[role])
    response = client.get(reverse("participant-detail", args=[deltaker.pk]))
    assert response.status_code == status and b"hodan@example.no" not in response.content


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"forstesprak": "xx"}, "forstesprak", "Velg et språk fra listen."),
    ({"forstesprak": "som"}, "forstesprak", "Velg et språk fra listen."),
    ({"skriftsprak": "zz"}, "skriftsprak", "Velg et språk fra listen."),
    ({"epost": "hodan(at)example"}, "epost", "Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no."),
    ({"telefon": "ring meg"}, "telefon", "Skriv telefonnummeret med sifre, for eksempel 912 34 567 eller "
                                         "+47 912 34 567."),
    ({"tolk": "nei", "tolkesprak": "ar"}, "tolkesprak", "Tolkespråk kan bare fylles ut når personen trenger tolk."),
    ({"tolk": "", "tolkesprak": "ar"}, "tolkesprak", "Tolkespråk kan bare fylles ut når personen trenger tolk."),
    ({"utdanningsniva": "doktorgrad"}, "utdanningsniva", "Velg et utdanningsnivå fra listen."),
])
def test_bad_input_is_refused_at_its_field_with_what_was_typed_kept_and_nothing_written(
    client, users, deltaker, changes, field, message,
):
    before = _details(deltaker)
    client.force_login(users["veileder"])
    response = _post(client, deltaker, **{"telefon": "400 00 000", **changes})
    page = response.content.decode()
    assert response.status_code == 400
    assert field_has_error(page, f"person_{field}") and message in page
    assert 'value="400 00 000"' in field_tag(page, "person_telefon") or field == "telefon"
    assert _details(deltaker) == before
    assert not AuditEntry.objects.filter(action="update").exists()


def test_an_interpreter_language_without_interpreter_is_marked_together_with_a_bad_e_mail(client, users, deltaker):
    client.force_login(users["veileder"])
    page = _post(client, deltaker, tolk="nei", tolkesprak="ar", epost="hodan@example").content.decode()
    assert field_has_error(page, "person_epost") and field_has_error(page, "person_tolkesprak")
    assert "Tolkespråk kan bare fylles ut når personen trenger tolk." in page


def test_a_refused_e_mail_is_shown_as_it_was_typed(client, users, deltaker):
    client.force_login(users["veileder"])
    page = _post(client, deltaker, epost="hodan(at)example").content.decode()
    assert 'value="hodan(at)example"' in field_tag(page, "person_epost")
    assert "<details open>" in section(page, "sprak")


# --- a stale form -----------------------------------------------------------------------------------


def test_a_save_from_a_page_someone_else_has_saved_since_is_refused_and_nothing_is_written(
    client, users, deltaker,
):
    client.force_login(users["veileder"])
    page = _page(client, deltaker)
    seen = field_tag(page, "person_seen").split('value="')[1].split('"')[0]
    # a colleague saves first
    services.person_update_details(
        deltaker=deltaker, actor=Actor.for_user(users["hovedveileder"]), seen=seen, forstesprak="ar", tolk=True,
        tolkesprak="", utdanningsniva="videregaende", utdanning_godkjent=False, telefon="912 34 567",
        epost="hodan@example.no", skriftsprak="en")
    response = _post(client, deltaker, seen=seen, telefon="400 00 000")
    assert response.status_code == 302 and response.url.endswith("#sprak")
    assert _details(deltaker)[0] == "ar" and _details(deltaker)[5] == "912 34 567"
    assert AuditEntry.objects.filter(action="update").count() == 1
    page = _page(client, deltaker)
    assert services.PERSON_DETAILS_CONFLICT in section(page, "sprak") and "arabisk" in section(page, "sprak")


def test_the_service_refuses_a_stale_fingerprint(deltaker, users):
    with pytest.raises(services.PersonError) as refused:
        services.person_update_details(
            deltaker=deltaker, actor=Actor.for_user(users["veileder"]), seen="gammel", forstesprak="ar", tolk=None,
            tolkesprak="", utdanningsniva="ukjent", utdanning_godkjent=None, telefon="", epost="", skriftsprak="")
    assert refused.value.messages == [services.PERSON_DETAILS_CONFLICT]


# --- the page's queries and the language list ------------------------------------------------------


@pytest.mark.parametrize("role", ["veileder", "karea"])
def test_the_participant_page_with_the_details_runs_the_same_queries_as_without(
    client, users, make_deltaker, make_person, django_assert_num_queries, role,
):
    plain = make_deltaker(ENROLLED, veileder=users["veileder"])
    detailed = make_deltaker(ENROLLED, veileder=users["veileder"], person=make_person(
        forstesprak="so", tolk=True, tolkesprak="ar", utdanningsniva="yrkesfag", telefon="91234567"))
    client.force_login(users[role])
    _page(client, plain)
    # + the consents for both; + the signed § 14 a versions and their complaints for the veileder (issue 16)
    with django_assert_num_queries(25 if role == "veileder" else 20) as first:
        _page(client, plain)
    with django_assert_num_queries(len(first.captured_queries)):
        assert "arabisk" in _page(client, detailed)


def test_the_language_list_names_the_common_languages_in_norwegian_and_falls_back_to_the_code():
    for code in ("nb", "nn", "en", "so", "ar", "ur", "pl", "ti", "fa", "ku", "ps", "lt", "sv", "da", "fr", "es",
                 "ru", "uk", "tr", "vi", "th", "ta", "am", "sw"):
        assert code in LANGUAGE_NAMES
    assert (language_name("so"), language_name("ti"), language_name("xh"), language_name("")) == (
        "somali", "tigrinja", "xh", "")
    choices = language_choices(empty_label="Ukjent", current="xh")
    assert choices[0] == ("", "Ukjent") and ("xh", "xh") in choices and ("so", "somali") in choices


# --- the interpreter need on every meeting -------------------------------------------------------


def _follow_up(deltaker, users, **fields):
    when = timezone.now() + datetime.timedelta(days=1)
    return Avtale.objects.create(deltaker=deltaker, kind="oppfolging", starts_at=when, sted="Rom 2",
                                 veileder=users["veileder"], created_by=users["veileder"], **fields)


def test_the_appointment_lists_flag_a_meeting_without_the_interpreter_the_person_needs(client, users, deltaker,
                                                                                       make_deltaker):
    _follow_up(deltaker, users)
    booked = make_deltaker(ENROLLED, veileder=users["veileder"])
    _follow_up(booked, users, tolk=True, tolkesprak="polsk")
    client.force_login(users["veileder"])
    listing = client.get(reverse("appointment-list"), {"dato": (timezone.localdate() + datetime.timedelta(days=1))
                                                       .isoformat()}).content.decode()
    assert "Tolk ikke bestilt</strong> – trenger tolk: somali" in listing and "Tolk: polsk" in listing
    own = section(_page(client, deltaker), "avtaler")
    assert "Tolk ikke bestilt</strong> – trenger tolk: somali" in own
    assert "Tolk: polsk" in section(_page(client, booked), "avtaler")


def test_a_booked_interpreter_is_shown_and_not_flagged(client, users, deltaker):
    _follow_up(deltaker, users, tolk=True, tolkesprak="somali")
    client.force_login(users["veileder"])
    own = section(_page(client, deltaker), "avtaler")
    assert "Tolk: somali" in own and "Tolk ikke bestilt" not in own


def test_the_booking_form_is_prefilled_with_the_interpreter_the_person_needs(client, users, deltaker, make_deltaker):
    client.force_login(users["veileder"])
    page = _page(client, deltaker)
    assert "checked" in field_tag(page, "avtale_tolk") and 'value="somali"' in field_tag(page, "avtale_tolkesprak")
    other = _page(client, make_deltaker(ENROLLED, veileder=users["veileder"]))
    assert "checked" not in field_tag(other, "avtale_tolk")


def test_the_referral_form_is_prefilled_with_the_interpreter_the_person_needs(client, users, make_deltaker,
                                                                             make_person):
    candidate = make_deltaker(("kandidat",), person=make_person(forstesprak="ur", tolk=True))
    client.force_login(users["hovedveileder"])
    page = _page(client, candidate)
    assert "checked" in field_tag(page, "henvis_tolk") and 'value="urdu"' in field_tag(page, "henvis_tolkesprak")


@time_machine.travel(datetime.datetime(2026, 3, 4, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_the_group_attendance_list_marks_who_needs_an_interpreter(client, users, alna):
    kurs = kurs_data.course(alna, users["veileder"])
    needs = kurs_data.enrol(kurs, kurs_data.deltaker(alna), users["veileder"])
    Person.objects.filter(pk=needs.deltaker.person_id).update(forstesprak="ti", tolk=True)
    kurs_data.enrol(kurs, kurs_data.deltaker(alna), users["veileder"])
    samling = kurs_services.session_create(kurs=kurs, actor=Actor.for_user(users["veileder"]),
                                           dato=timezone.localdate())
    client.force_login(users["veileder"])
    page = client.get(reverse("session-attendance", args=[samling.pk])).content.decode()
    assert page.count("Tolk: tigrinja") == 1
