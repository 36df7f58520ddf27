"""The admin for the admin role (issue 12, part 7): the sporingslogg searched by person in a
POSTed form (never a fødselsnummer in the URL), by user, office, action and date range; protected
persons left out as everywhere else; Norwegian names and strings; users with their roles and
offices; a favicon."""
import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

from alnaaktiv import audit
from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, Membership, Role, SecurityEvent
from tests.factories import role_user

SEARCH = "/admin/alnaaktiv/auditentry/sok/"
CHANGELIST = "/admin/alnaaktiv/auditentry/"


def _read(user, person, *, office="0326", path="/deltakere/1/", obj=None) -> AuditEntry:
    return audit.record_change(AuditEntry.Action.READ, actor=Actor.for_user(user, path), obj=obj or person,
                               person=person, office=office)


def _with_protection_permissions(user):
    user.may_see_fortrolig = user.may_see_strengt_fortrolig = user.may_see_skjermet = True
    user.save()
    return user


def _urls_in(body: str) -> list[str]:
    return re.findall(r'(?:href|action|src|hx-get|hx-post)="([^"]*)"', body)


def test_the_admin_finds_who_read_a_person_through_a_posted_form_and_the_search_is_audited(
        client, users, make_person):
    person = make_person(navn="Åse Innsyn")
    other = make_person(navn="Ola Annen")
    _read(users["veileder"], person, path="/deltakere/7/kartlegging/")
    _read(users["hovedveileder"], other, path="/deltakere/8/")
    client.force_login(users["admin"])

    form = client.get(SEARCH)
    assert form.status_code == 200 and 'method="post"' in form.content.decode()
    assert "Søk i sporingsloggen etter person" in client.get("/admin/").content.decode()
    response = client.post(SEARCH, {"fnr": person.fnr})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Sporingslogg for Åse Innsyn" in body and "/deltakere/7/kartlegging/" in body
    assert "<td>veileder</td>" in body
    assert "/deltakere/8/" not in body  # another person's reads
    assert not any(person.fnr in url for url in _urls_in(body))  # only in the form field and the PDF form
    # The search is itself a showing of the person's log, written before the page was rendered.
    search_entry = AuditEntry.objects.get(username="admin", path=SEARCH)
    assert (search_entry.action, search_entry.person_fnr) == ("read", person.fnr)
    assert f"{SEARCH}</td>" in body  # and the admin sees their own search in the result


def test_a_fodselsnummer_in_the_url_searches_nothing(client, users, make_person):
    person = make_person()
    _read(users["veileder"], person)
    client.force_login(users["admin"])
    body = client.get(f"{SEARCH}?fnr={person.fnr}").content.decode()
    assert "Sporingslogg for" not in body and person.fnr not in body
    assert client.get(f"{CHANGELIST}?person_fnr={person.fnr}").status_code == 400
    assert not AuditEntry.objects.filter(username="admin").exists()


def test_a_refused_search_keeps_the_typed_number_and_marks_the_field(client, users):
    client.force_login(users["admin"])
    response = client.post(SEARCH, {"fnr": "1234567890", "fra": "2026-12-02", "til": "2026-12-01"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="1234567890"' in body and 'aria-invalid="true"' in body and "autofocus" in body
    assert "Til-datoen kan ikke være før fra-datoen." in body
    assert not AuditEntry.objects.exists()


def test_the_search_narrows_to_action_and_dates(client, users, make_person):
    person = make_person()
    _read(users["veileder"], person, path="/deltakere/1/gammel/")
    AuditEntry.objects.create(time=datetime.datetime(2026, 1, 5, 10, tzinfo=datetime.UTC), username="veileder",
                              action="update", path="/deltakere/1/januar/", person_fnr=person.fnr)
    client.force_login(users["admin"])
    body = client.post(SEARCH, {"fnr": person.fnr, "fra": "2026-01-01", "til": "2026-01-31"}).content.decode()
    assert "/deltakere/1/januar/" in body and "/deltakere/1/gammel/" not in body
    body = client.post(SEARCH, {"fnr": person.fnr, "handling": "read"}).content.decode()
    assert "/deltakere/1/gammel/" in body and "/deltakere/1/januar/" not in body


def test_a_protected_persons_log_is_refused_to_an_admin_without_the_permission(client, users, make_person):
    hidden = make_person(navn="Kari Kode Seks", adressebeskyttelse="strengt_fortrolig")
    _read(users["veileder"], hidden, path="/deltakere/9/")
    client.force_login(users["admin"])
    response = client.post(SEARCH, {"fnr": hidden.fnr})
    body = response.content.decode()
    assert response.status_code == 403
    assert "Kari Kode Seks" not in body and "/deltakere/9/" not in body and "Sporingslogg for" not in body
    assert "administrator med tilgang til beskyttede personer" in body
    assert not AuditEntry.objects.filter(username="admin").exists()
    event = SecurityEvent.objects.get(username="admin")
    assert event.reason == f"søk i sporingsloggen etter beskyttet person {hidden.pk} uten tilgang"
    assert hidden.fnr not in event.reason and hidden.fnr not in event.path

    _with_protection_permissions(users["admin"])
    body = client.post(SEARCH, {"fnr": hidden.fnr}).content.decode()
    assert "Kari Kode Seks" in body and "/deltakere/9/" in body
    assert AuditEntry.objects.get(username="admin", path=SEARCH).needs_review  # a protected person's log was read


def test_the_search_shows_the_refusals_on_the_persons_pages(client, users, make_deltaker):
    deltaker = make_deltaker()
    person = deltaker.person
    common = {"username": "veileder_stovner", "method": "GET", "status": 404}
    SecurityEvent.objects.create(path=f"/deltakere/{deltaker.pk}/", reason="utenfor kontor 0326", **common)
    SecurityEvent.objects.create(path="/import/", reason=f"linje 2: navnet endret for person {person.pk}, som har sak",
                                 **common)
    SecurityEvent.objects.create(path=f"/deltakere/{deltaker.pk}0/", reason="utenfor kontor 0326", **common)
    SecurityEvent.objects.create(path="/import/", reason=f"linje 3: navnet endret for person {person.pk}7", **common)
    client.force_login(users["admin"])
    body = client.post(SEARCH, {"fnr": person.fnr}).content.decode()
    assert f"/deltakere/{deltaker.pk}/</td>" in body and f"person {person.pk}, som har sak" in body
    assert f"/deltakere/{deltaker.pk}0/" not in body and f"person {person.pk}7" not in body


def test_the_audit_log_list_leaves_out_persons_the_admin_may_not_see(client, users, make_person):
    visible = make_person()
    hidden = make_person(skjermet=True)
    _read(users["veileder"], visible, path="/deltakere/1/")
    hidden_entry = _read(users["veileder"], hidden, path="/deltakere/2/")
    client.force_login(users["admin"])
    body = client.get(CHANGELIST).content.decode()
    assert "/deltakere/1/" in body or f"{visible.fnr[:6]}*****" in body
    assert f"{hidden.fnr[:6]}*****" not in body and "1 sporingslogg-innslag" in body
    assert client.get(f"{CHANGELIST}{hidden_entry.pk}/change/").status_code == 302  # «finnes ikke»
    _with_protection_permissions(users["admin"])
    body = client.get(CHANGELIST).content.decode()
    assert f"{hidden.fnr[:6]}*****" in body and "2 sporingslogg" in body


def test_the_audit_log_is_filtered_by_user_office_action_and_date_range(client, users, make_person):
    person = make_person()
    _read(users["veileder"], person, office="0326", path="/a/")
    audit.record_change(AuditEntry.Action.UPDATE, actor=Actor.for_user(users["hovedveileder"], "/b/"), obj=person,
                        person=person, office="0328")
    AuditEntry.objects.create(time=datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC), username="leder",
                              action="read", path="/c/", office="0326")
    client.force_login(users["admin"])

    def rows(query: str) -> int:
        response = client.get(f"{CHANGELIST}?{query}")
        assert response.status_code == 200, query
        return response.context["cl"].result_count

    assert rows("") == 3
    assert rows(f"user__id__exact={users['veileder'].pk}") == 1
    assert rows("office=0328") == 1
    assert rows("action__exact=update") == 1
    assert rows("time__date__gte=2025-05-01&time__date__lte=2025-06-30") == 1
    assert rows("time__date__gte=2025-07-01") == 2
    body = client.get(CHANGELIST).content.decode()
    for label in ["Etter tidsrom", "Fra og med", "Til og med", "Etter handling", "Etter kontor", "Etter bruker",
                  "0328 NAV Stovner", "Søk etter person"]:
        assert label in body, label
    assert client.get(f"{CHANGELIST}?time__date__gte=ikke-en-dato").status_code in (200, 302)  # Django's «?e=1»


def test_the_security_log_is_filtered_by_user_and_date_range(client, users):
    SecurityEvent.objects.create(user=users["veileder"], username="veileder", method="GET", path="/x/", status=403,
                                 reason="rolle mangler")
    SecurityEvent.objects.create(time=datetime.datetime(2025, 1, 2, tzinfo=datetime.UTC), username="", method="POST",
                                 path="/accounts/login/", status=429, reason="innlogging sperret")
    client.force_login(users["admin"])
    listing = client.get(f"/admin/alnaaktiv/securityevent/?user__id__exact={users['veileder'].pk}")
    assert listing.context["cl"].result_count == 1
    listing = client.get("/admin/alnaaktiv/securityevent/?time__date__lte=2025-12-31")
    assert listing.context["cl"].result_count == 1 and "Etter tidsrom" in listing.content.decode()


def test_the_audit_log_names_objects_in_norwegian(client, users, make_deltaker):
    deltaker = make_deltaker()
    _read(users["veileder"], deltaker.person, obj=deltaker)
    entry = AuditEntry.objects.get()
    client.force_login(users["admin"])
    for url in [CHANGELIST, f"{CHANGELIST}{entry.pk}/change/"]:
        body = client.get(url).content.decode()
        assert "Deltaker" in body and "cases.deltaker" not in body, url
    body = client.post(SEARCH, {"fnr": deltaker.person.fnr}).content.decode()
    assert f"Deltaker {deltaker.pk}" in body and "cases.deltaker" not in body


def test_every_model_has_norwegian_names_of_its_own():
    for model in apps.get_models():
        options = model._meta
        if options.app_label in {"alnaaktiv", "cases", "conditions", "arbeidsboks", "reporting"}:
            assert {"verbose_name", "verbose_name_plural"} <= set(options.original_attrs), options.label


def test_the_user_list_shows_roles_and_offices_in_a_fixed_number_of_queries(
        client, users, stovner, django_assert_max_num_queries):
    Membership.objects.create(user=users["veileder"], office=stovner, role=Role.HOVEDVEILEDER)
    client.force_login(users["admin"])
    client.get("/admin/alnaaktiv/user/")  # warm the session and the content types
    with django_assert_max_num_queries(13) as few:
        body = client.get("/admin/alnaaktiv/user/").content.decode()
    assert "Veileder (0326 NAV Alna); Hovedveileder (0328 NAV Stovner)" in body
    assert "Systemadministrator (0326 NAV Alna)" in body and "ingen roller" in body  # uten_rolle
    for number in range(15):
        role_user(f"ny{number}", stovner, Role.VEILEDER)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/admin/alnaaktiv/user/").content.decode()
    assert "Veileder (0328 NAV Stovner)" in body
    assert client.get("/admin/alnaaktiv/user/?rolle=hovedveileder&kontor=0328").context["cl"].result_count == 1


def test_the_user_form_has_no_django_groups_or_model_permissions(client, users):
    client.force_login(users["admin"])
    body = client.get(f"/admin/alnaaktiv/user/{users['veileder'].pk}/change/").content.decode()
    assert "Tilgang til beskyttede personer" in body and "Roller på kontor" in body
    assert 'name="groups"' not in body and 'name="user_permissions"' not in body and "Can view" not in body


ENGLISH = ["Model name", "Add link", "Change or view list link", "Toggle theme", "Skip to main content",
           "Show counts", "Hide counts", "View selected", "Reset password", "Raw passwords", "Whether the user",
           "User Agent", "IP Address", "Attempt Time", "Access attempt", "Access log", "Access failure",
           "access attempt", "Meta Data", "Axes", ">Office<", "Sidebar", "Start typing", "Can view", "changed by",
           "Password-based", "cases.", "conditions.", "arbeidsboks.", "reporting."]


def test_the_admin_pages_are_norwegian(client, users, make_person, alna):
    person = make_person()
    _read(users["veileder"], person)
    entry = AuditEntry.objects.get()
    client.force_login(_with_protection_permissions(users["admin"]))
    pages = ["/admin/", "/admin/alnaaktiv/", "/admin/axes/", "/admin/alnaaktiv/user/", "/admin/alnaaktiv/user/add/",
             f"/admin/alnaaktiv/user/{users['veileder'].pk}/change/", "/admin/alnaaktiv/office/",
             f"/admin/alnaaktiv/office/{alna.pk}/change/", CHANGELIST, f"{CHANGELIST}{entry.pk}/change/", SEARCH,
             "/admin/alnaaktiv/securityevent/", "/admin/axes/accessattempt/", "/admin/axes/accesslog/",
             "/admin/axes/accessfailurelog/", "/admin/cases/person/",
             f"/admin/cases/person/{person.pk}/change/", "/admin/conditions/fullmakt/",
             "/admin/conditions/fullmakt/add/", "/admin/arbeidsboks/virksomhet/", "/admin/arbeidsboks/virksomhet/add/",
             "/admin/reporting/target/", "/admin/reporting/target/add/", "/admin/reporting/monthlyreport/",
             "/admin/password_change/", "/admin/innsyn/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        text = re.sub(r"<script.*?</script>|<style.*?</style>", "", text, flags=re.S)
        text = re.sub(r'(?:href|src|action|class|id|name|for|value|data-[a-z-]+|content)="[^"]*"', "", text)
        found = [phrase for phrase in ENGLISH if phrase in text]
        assert found == [], (url, found)
    # Login records are written by axes alone: they have no add form.
    assert client.get("/admin/axes/accessattempt/add/").status_code == 403


def test_the_catalogue_of_missing_translations_is_compiled():
    """The .mo is committed; every translation in the .po must be what Django answers in bokmål."""
    po = (Path(__file__).resolve().parent.parent / "alnaaktiv" / "locale" / "nb" / "LC_MESSAGES" / "django.po")
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', po.read_text(encoding="utf-8"), flags=re.M)
    assert len(pairs) > 50
    with translation.override("nb"):
        for msgid, msgstr in pairs:
            assert translation.gettext(msgid) == msgstr, msgid


def test_favicon_ico_is_served_to_everyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and icon["Content-Type"].startswith("image/svg+xml")


def test_admin_pages_link_the_icon(client, users):
    client.force_login(users["admin"])
    assert 'rel="icon"' in client.get("/admin/").content.decode()


@pytest.mark.parametrize("role", ["veileder", "prosjektleder", "controller", "leder"])
def test_other_roles_cannot_search_the_audit_log(client, users, make_person, role):
    person = make_person()
    client.force_login(users[role])
    assert client.get(SEARCH).status_code == 403
    response = client.post(SEARCH, {"fnr": person.fnr})
    assert response.status_code == 403 and person.fnr not in response.content.decode()
    assert not AuditEntry.objects.exists()
