"""Every constraint says in Norwegian what is wrong (issue 13, item 5): full_clean() reports the
constraint's own message, at the field the rule is about, so a service need not repeat a rule
that one row can answer."""
import datetime
import re
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from alnaaktiv.models import CheckedModel, constraint_error_field
from arbeidsboks.models import Plassering, PlasseringKind, PlasseringStatus
from cases.models import KlartJegKanUke
from conditions.models import Vedtak, Vilkar

PROJECT_APPS = {"alnaaktiv", "cases", "conditions", "arbeidsboks", "reporting"}
# Words that give an English message away (none of them is a Norwegian word).
ENGLISH_WORDS = {"the", "must", "should", "cannot", "violated", "constraint", "only", "when", "with", "has", "have",
                 "already", "exists", "invalid", "valid", "required", "between", "least", "most", "not", "is", "be"}
TODAY = datetime.date(2026, 3, 2)


def project_constraints():
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS:
            for constraint in model._meta.constraints:
                yield model, constraint


def test_the_project_has_its_constraints():
    assert sum(isinstance(constraint, models.CheckConstraint) for _model, constraint in project_constraints()) >= 119


@pytest.mark.parametrize(("model", "constraint"), list(project_constraints()),
                         ids=lambda value: getattr(value, "name", getattr(value, "__name__", "")))
def test_every_constraint_has_its_own_norwegian_message(model, constraint):
    assert isinstance(constraint, models.CheckConstraint | models.UniqueConstraint)
    message = constraint.get_violation_error_message()  # as full_clean() formats it (a % sign is written %%)
    assert constraint.violation_error_message != constraint.default_violation_error_message
    assert message.endswith("."), message
    english = ENGLISH_WORDS & set(re.findall(r"[a-z]+", message.lower()))
    assert not english, f"{constraint.name}: {message}"


@pytest.mark.parametrize(("model", "constraint"), list(project_constraints()),
                         ids=lambda value: getattr(value, "name", getattr(value, "__name__", "")))
def test_a_constraint_is_reported_by_full_clean_at_a_field_it_reads(model, constraint):
    assert issubclass(model, CheckedModel), f"{model.__name__} does not report its constraints at their fields"
    field = constraint_error_field(constraint)
    if constraint.violation_error_code is not None:
        assert field == constraint.violation_error_code, f"{constraint.name} names a field it does not read"
    assert field == NON_FIELD_ERRORS or model._meta.get_field(field)


def klart_jeg_kan_week(**fields) -> KlartJegKanUke:
    return KlartJegKanUke(**{"uke": 1, "planlagte_dager": 5, "mott_dager": 5, **fields})


def placement(**fields) -> Plassering:
    return Plassering(**{
        "kind": PlasseringKind.ARBEIDSTRENING, "status": PlasseringStatus.AKTIV, "startdato": TODAY,
        "planlagt_slutt": TODAY + datetime.timedelta(weeks=8), "timer_per_uke": Decimal("20"), "dager_per_uke": 5,
        "veileder_pa_stedet": "Kari Nordmann", "mal": "Komme i arbeid", "ikke_fortrengning": True, **fields})


def full_clean_errors(instance, *, exclude) -> dict[str, list[str]]:
    """full_clean() of an unsaved row; `exclude` leaves out the relations, which need saved rows."""
    with pytest.raises(ValidationError) as refused:
        instance.full_clean(exclude=exclude)
    return refused.value.message_dict


@pytest.mark.django_db
def test_planned_days_outside_1_to_5_in_klart_jeg_kan_are_refused_at_the_field():
    errors = full_clean_errors(klart_jeg_kan_week(planlagte_dager=6, mott_dager=0),
                               exclude=["kartlegging", "registered_by"])
    assert errors == {"planlagte_dager": ["Planlagte dager må være mellom 1 og 5."]}


@pytest.mark.django_db
def test_a_rule_about_two_fields_is_reported_at_the_field_it_names():
    errors = full_clean_errors(klart_jeg_kan_week(planlagte_dager=3, mott_dager=4),
                               exclude=["kartlegging", "registered_by"])
    assert errors == {"mott_dager": ["Møtte dager kan ikke være flere enn planlagte dager."]}


@pytest.mark.django_db
def test_a_placement_with_more_than_seven_days_a_week_is_refused_at_the_field():
    errors = full_clean_errors(placement(dager_per_uke=8), exclude=["deltaker", "arbeidsomrade", "created_by"])
    assert errors == {"dager_per_uke": ["Dager per uke må være fra 1 til 7."]}


@pytest.mark.django_db
def test_a_negative_amount_on_a_vedtak_is_refused_at_the_field():
    vedtak = Vedtak(soknad_mottatt=TODAY, periode_fra=TODAY, periode_til=TODAY + datetime.timedelta(days=30),
                    belop=Decimal("-1"))
    errors = full_clean_errors(vedtak, exclude=["office", "sak"])
    assert errors == {"belop": ["Beløpet kan ikke være negativt."]}


@pytest.mark.django_db
def test_a_message_with_a_percent_sign_is_shown_as_written():
    vilkar = Vilkar(rolle="hovedperson", kind="aktivitet", hjemmel="sotjl_20", beskrivelse="Møte opp", frist=TODAY,
                    mengde=101, enhet="oppmote_prosent")
    errors = full_clean_errors(vilkar, exclude=["vedtak", "person"])
    assert errors == {"mengde": ["Oppmøte kan ikke kreves over 100 %."]}


@pytest.mark.django_db
def test_a_rule_about_the_whole_row_is_reported_for_the_whole_row():
    vedtak = Vedtak(soknad_mottatt=TODAY, periode_fra=TODAY, periode_til=TODAY, belop=Decimal("100"),
                    resultat="innvilget", fase="vilkar_apne")
    errors = full_clean_errors(vedtak, exclude=["office", "sak"])
    assert errors == {NON_FIELD_ERRORS: ["Et avgjort vedtak må ha både resultat og vedtaksdato."]}


class DaysForm(forms.ModelForm):
    class Meta:
        model = Plassering
        fields = ["dager_per_uke"]


@pytest.mark.django_db
def test_a_model_form_shows_the_message_at_its_field_and_skips_rules_about_fields_it_lacks():
    form = DaysForm(data={"dager_per_uke": "9"}, instance=placement(planlagt_slutt=TODAY - datetime.timedelta(days=1)))
    assert not form.is_valid()
    # The placement's end before its start is not this form's business: only its own field is refused.
    assert form.errors == {"dager_per_uke": ["Dager per uke må være fra 1 til 7."]}
