"""Issue 12, wording: a date that does not exist is not a format error (alnaaktiv.forms.DateField)."""
import datetime

import pytest
from django import forms

from alnaaktiv.forms import DateField, DateInput


class VisitForm(forms.Form):
    dato = DateField(label="Dato", widget=DateInput())


class ScreeningLikeForm(forms.Form):
    dato = DateField(label="Dato", input_formats=["%d.%m.%Y", "%Y-%m-%d"])


def errors(form_class, value) -> list[str]:
    form = form_class({"dato": value})
    assert not form.is_valid()
    return form.errors["dato"]


@pytest.mark.parametrize(("typed", "message"), [
    ("31.02.2026", "Datoen finnes ikke (31.02.2026): februar 2026 har 28 dager."),
    ("29.02.2025", "Datoen finnes ikke (29.02.2025): februar 2025 har 28 dager."),
    ("31.4.2026", "Datoen finnes ikke (31.4.2026): april 2026 har 30 dager."),
    ("12.13.2026", "Datoen finnes ikke (12.13.2026): måneden må være fra 1 til 12."),
    ("2026-02-30", "Datoen finnes ikke (2026-02-30): februar 2026 har 28 dager."),
    (" 31.06.26 ", "Datoen finnes ikke (31.06.26): juni 2026 har 30 dager."),
])
def test_an_impossible_date_says_it_does_not_exist(typed, message):
    assert errors(VisitForm, typed) == [message]


@pytest.mark.parametrize("typed", ["31/02/2026", "i morgen", "2026.02.01", "1.2", "31-02-2026"])
def test_badly_written_input_is_asked_for_as_dd_mm_aaaa(typed):
    assert errors(VisitForm, typed) == ["Skriv datoen som dd.mm.åååå."]


def test_a_shape_the_field_does_not_accept_is_a_format_error():
    # two-digit years are not among this field's formats: 31.06.26 is written wrongly, not impossible
    assert errors(ScreeningLikeForm, "31.06.26") == ["Skriv datoen som dd.mm.åååå."]
    assert errors(ScreeningLikeForm, "31.06.2026") == ["Datoen finnes ikke (31.06.2026): juni 2026 har 30 dager."]


def test_valid_dates_and_the_empty_field():
    assert VisitForm({"dato": "29.02.2028"}).is_valid()
    form = VisitForm({"dato": "2026-02-28"})
    assert form.is_valid() and form.cleaned_data["dato"] == datetime.date(2026, 2, 28)
    assert errors(VisitForm, "") == ["Oppgi en dato."]


def test_the_widget_shows_the_norwegian_format():
    html = str(VisitForm(initial={"dato": datetime.date(2026, 3, 5)})["dato"])
    assert 'value="05.03.2026"' in html and 'inputmode="numeric"' in html
