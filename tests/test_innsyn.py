"""Innsyn (issue 11, item 16): an admin downloads a PDF of every recorded read and change of one
person's data; nobody else may, the fødselsnummer never goes into a URL, and the export is
itself in the audit log."""
import datetime

import pytest
import time_machine
from django.urls import reverse

from alnaaktiv import retention
from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, Role
from cases.models import CourseEvent, Deltaker
from tests.factories import role_user
from tests.helpers import pdf_text

NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
URL = "/admin/innsyn/"


@pytest.fixture(autouse=True)
def fixed_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def logged(users, make_person):
    person = make_person(navn="Innsyn Testesen")
    other = make_person()
    AuditEntry.objects.create(time=datetime.datetime(2026, 3, 2, 13, 5, 9, tzinfo=datetime.UTC), user=users["veileder"],
                              username="veileder", role="Veileder", office="0326", action="read",
                              object_type="cases.deltaker", object_id="17", person_fnr=person.fnr, path="/deltakere/17/")
    AuditEntry.objects.create(time=datetime.datetime(2026, 7, 1, 8, 0, tzinfo=datetime.UTC), user=users["vedtak"],
                              username="vedtak", role="Vedtaksavdelingen", office="0326", action="update",
                              object_type="conditions.vilkar", object_id="4", person_fnr=person.fnr,
                              path="/vilkar/4/bortfall/")
    AuditEntry.objects.create(username="veileder", role="Veileder", office="0326", action="read",
                              person_fnr=other.fnr, path="/deltakere/99/")
    return person


def test_the_url_is_the_admin_sites_and_takes_no_fnr():
    assert reverse("admin-innsyn") == URL


def test_the_admin_gets_a_pdf_of_every_entry_in_norwegian_time(client, users, logged):
    client.force_login(users["admin"])
    response = client.post(URL, {"fnr": logged.fnr})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Innsyn i sporingsloggen" in text and "Innsyn Testesen" in text and logged.fnr in text
    assert "02.03.2026 14:05:09" in text and "01.07.2026 10:00:00" in text  # CET and CEST
    assert "0326 NAV Alna" in text and "Vedtaksavdelingen" in text
    assert "Lest" in text and "Endret" in text and "Deltaker 17" in text and "/vilkar/4/bortfall/" in text
    assert "/deltakere/99/" not in text  # another person's entry
    assert "Innslag (2)" in text


def test_the_export_is_audited_with_the_person(client, users, logged):
    client.force_login(users["admin"])
    client.post(URL, {"fnr": logged.fnr})
    entry = AuditEntry.objects.get(action="export")
    assert (entry.username, entry.person_fnr, entry.path) == ("admin", logged.fnr, URL)
    assert (entry.object_type, entry.object_id) == ("cases.person", str(logged.pk))


def test_the_fnr_is_posted_never_in_a_url(client, users, logged):
    client.force_login(users["admin"])
    page = client.get(URL).content.decode()
    assert 'method="post"' in page and "Personens fødselsnummer" in page
    # A number in the query string is not read: no PDF, nothing exported.
    response = client.get(f"{URL}?fnr={logged.fnr}")
    assert response["Content-Type"].startswith("text/html")
    assert not AuditEntry.objects.filter(action="export").exists()
    client.post(URL, {"fnr": logged.fnr})
    assert not AuditEntry.objects.filter(path__contains=logged.fnr).exists()


def test_a_bad_number_gets_a_norwegian_error_and_nothing_is_exported(client, users, db):
    client.force_login(users["admin"])
    response = client.post(URL, {"fnr": "12345678901"})
    assert response.status_code == 200
    assert "Fødselsnummeret har feil kontrollsiffer." in response.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()


@pytest.mark.parametrize("role", [role for role in Role.values if role != Role.ADMIN] + ["uten_rolle"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_no_other_role_gets_in(client, users, logged, role, method):
    client.force_login(users[role])
    response = getattr(client, method)(URL, {"fnr": logged.fnr} if method == "post" else None)
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="export").exists()


def test_an_admin_role_without_staff_status_is_refused(client, users, alna, logged):
    client.force_login(role_user("admin_uten_staff", alna, Role.ADMIN))
    assert client.post(URL, {"fnr": logged.fnr}).status_code == 403


def test_anonymous_users_are_sent_to_login(client, logged):
    response = client.post(URL, {"fnr": logged.fnr}, follow=True)
    assert response.request["PATH_INFO"] == reverse("login")
    assert not any(logged.fnr in url for url, _ in response.redirect_chain)
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_admin_index_links_to_innsyn(client, users):
    client.force_login(users["admin"])
    assert f'href="{URL}"' in client.get(reverse("admin:index")).content.decode()


def test_an_anonymised_persons_log_is_still_answered_by_their_real_number(client, users, logged):
    deltaker = Deltaker.objects.create(person=logged, office=users["admin"].offices.first(), status="avsluttet",
                                       status_dato=datetime.date(2020, 1, 6))
    CourseEvent.objects.create(deltaker=deltaker, state="avsluttet", date=datetime.date(2020, 1, 6), utfall="annet")
    real_fnr = logged.fnr
    retention.anonymise_expired_persons(today=datetime.date(2026, 11, 23), actor=Actor.scheduled("anonymisering"))
    client.force_login(users["admin"])
    text = pdf_text(client.post(URL, {"fnr": real_fnr}).content)
    assert "Innsyn Testesen" not in text and "bakgrunnsjobb anonymisering" in text and "Lest" in text


def test_the_admin_start_page_lists_innsyn_as_a_module_of_the_main_column(client, users):
    client.force_login(users["admin"])
    page = client.get(reverse("admin:index")).content.decode()
    main, related = page.index('id="content-main"'), page.index('id="content-related"')
    assert main < page.index('id="innsyn-module"') < page.index(f'href="{URL}"') < related
    assert "<caption>Personvern</caption>" in page


@pytest.mark.parametrize("path", [URL, "/admin/", "/admin/cases/person/"])
def test_admin_pages_name_the_site_icon_and_underline_their_breadcrumb_links(client, users, path):
    client.force_login(users["admin"])
    page = client.get(path).content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page  # else the browser asks for /favicon.ico: a 404
    assert 'href="/static/css/admin.css"' in page
