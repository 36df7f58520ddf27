"""Form, service and database agree on planned days: «Klart jeg kan» plans 1–5 days a week
(the service and the constraint), so the form refuses 0 and 6 at the field with the service's
words; Arbeidsboks plans 1–7 days, in its forms as in its service and constraints."""
import pytest

from arbeidsboks.forms import PlacementForm
from arbeidsboks.models import Arbeidsomrade
from cases.forms import KlartJegKanForm
from conditions.models import Vilkar


@pytest.mark.parametrize("days", [0, 6])
def test_the_klart_jeg_kan_form_refuses_planned_days_outside_one_to_five(days):
    form = KlartJegKanForm({"uke": "1", "planlagte_dager": str(days), "mott_dager": "0"})
    assert not form.is_valid()
    assert form.errors["planlagte_dager"] == ["Planlagte dager må være mellom 1 og 5."]


@pytest.mark.parametrize("days", [1, 5])
def test_the_klart_jeg_kan_form_takes_one_to_five_planned_days(days):
    form = KlartJegKanForm({"uke": "1", "planlagte_dager": str(days), "mott_dager": "0"})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("days", [0, 8])
def test_the_placement_form_refuses_days_per_week_outside_one_to_seven(db, days):
    form = PlacementForm({"dager_per_uke": str(days)}, areas=Arbeidsomrade.objects.none(), vilkar=Vilkar.objects.none())
    assert not form.is_valid()
    assert form.errors["dager_per_uke"]
