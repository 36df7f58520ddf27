"""The interaction toolkit every page's actions use (alnaaktiv/interaction.py)."""
import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory

from alnaaktiv import interaction


class NoteForm(forms.Form):
    tekst = forms.CharField(label="Tekst")
    dato = forms.DateField(label="Dato")


def _request(data):
    request = RequestFactory().post("/side/handling/", data)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _rerender(form):
    return HttpResponse(Template("{% load crispy_forms_tags interaction %}{% form_errors form %}{{ form|crispy }}")
                        .render(Context({"form": form})))


@pytest.mark.django_db
def test_success_redirects_to_the_section_with_the_message_there():
    request = _request({"tekst": "Hei", "dato": "01.12.2026"})
    seen = {}
    response = interaction.act(request, form=NoteForm(request.POST), perform=lambda data: seen.update(data),
                               success_message="Lagret.", redirect_to="/side/", section="notat", rerender=_rerender)
    assert response.status_code == 302 and response.url == "/side/#notat"
    assert seen["tekst"] == "Hei"
    [message] = list(get_messages(request))
    assert str(message) == "Lagret." and "seksjon:notat" in message.extra_tags


def test_an_invalid_form_is_drawn_again_with_what_was_typed_and_the_error_at_its_field():
    request = _request({"tekst": "Noe jeg skrev", "dato": "31.02.2026"})
    response = interaction.act(request, form=NoteForm(request.POST), perform=pytest.fail,
                               success_message="Lagret.", redirect_to="/side/", section="notat", rerender=_rerender)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Noe jeg skrev"' in html and 'value="31.02.2026"' in html
    assert 'aria-invalid="true"' in html and "Det du sendte ble ikke lagret" in html
    # The first invalid field gets the focus, without JavaScript.
    assert 'autofocus' in html.split('name="dato"')[1].split(">")[0]


@pytest.mark.django_db
def test_a_refusal_from_the_service_lands_at_the_field_it_names_and_nothing_is_kept():
    request = _request({"tekst": "Hei", "dato": "01.12.2026"})

    def perform(data):
        raise ValidationError({"dato": "Datoen kan ikke være før henvisningen."})

    response = interaction.act(request, form=NoteForm(request.POST), perform=perform, success_message="Lagret.",
                               redirect_to="/side/", rerender=_rerender)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Datoen kan ikke være før henvisningen." in html.split('name="dato"')[1]


@pytest.mark.django_db
def test_without_a_form_a_refusal_is_a_message_in_the_section():
    request = _request({})

    def perform(data):
        raise ValidationError("Noen andre har gjort dette før deg.")

    response = interaction.act(request, perform=perform, success_message="Gjort.", redirect_to="/side/",
                               section="liste")
    assert response.url == "/side/#liste"
    [message] = list(get_messages(request))
    assert message.level_tag == "error" and str(message) == "Noen andre har gjort dette før deg."


@pytest.mark.django_db
def test_a_refusal_of_the_whole_form_focuses_its_summary_and_says_what_was_refused():
    request = _request({"tekst": "Hei", "dato": "01.12.2026"})

    def perform(data):
        raise ValidationError("Deltakeren har allerede status «Henvist».")

    html = interaction.act(request, form=NoteForm(request.POST), perform=perform, success_message="Lagret.",
                           redirect_to="/side/", rerender=_rerender).content.decode()
    summary = html.split('role="alert"')[1].split("</div>")[0]
    assert 'tabindex="-1" autofocus' in summary and "Deltakeren har allerede status «Henvist»." in summary
    assert "Rett feilene som er markert" not in summary and 'aria-invalid="true"' not in html


@pytest.mark.django_db
def test_a_form_whose_row_is_gone_is_refused_as_a_message_in_its_section():
    """Someone else got there first: the row (and its form) is no longer on the page."""
    request = _request({"tekst": "Hei", "dato": "01.12.2026"})

    def perform(data):
        raise ValidationError("Notatet er allerede strøket.")

    response = interaction.act(request, form=NoteForm(request.POST), perform=perform, success_message="Lagret.",
                               redirect_to="/side/", section="journal", rerender=lambda form: None)
    assert response.status_code == 302 and response.url == "/side/#journal"
    [message] = list(get_messages(request))
    assert str(message) == "Notatet er allerede strøket." and "seksjon:journal" in message.extra_tags


def test_section_messages_show_only_in_their_section():
    request = _request({})
    interaction.success(request, "I seksjonen.", section="vurdering")
    interaction.success(request, "Øverst.")
    storage = get_messages(request)
    top = Template("{% load interaction %}{% page_messages %}").render(Context({"messages": storage}))
    inside = Template('{% load interaction %}{% section_messages "vurdering" %}').render(Context({"messages": storage}))
    assert "Øverst." in top and "I seksjonen." not in top
    assert "I seksjonen." in inside and "Øverst." not in inside


@pytest.mark.django_db
def test_the_confirmation_repeats_what_was_posted_and_performs_only_when_confirmed():
    request = _request({"begrunnelse": "Linje én\nlinje «to»", "innsats": "standard"})
    request.user = type("U", (), {"is_authenticated": False})()
    assert not interaction.is_confirmed(request)
    response = interaction.confirmation(request, title="Signer vurderingen", warning="Kan ikke endres etterpå.",
                                        confirm_label="Signer", cancel_url="/side/")
    html = response.content.decode()
    assert 'name="begrunnelse" value="Linje én\nlinje &laquo;to&raquo;"' in html or \
        'name="begrunnelse" value="Linje én\nlinje «to»"' in html
    assert 'name="bekreftet" value="ja"' in html
    assert interaction.is_confirmed(_request({"bekreftet": "ja"}))


def test_norwegian_number_formats():
    render = lambda text, **ctx: Template("{% load norsk %}" + text).render(Context(ctx))  # noqa: E731
    assert render("{{ x|kroner }}", x=12500) == "12\u00a0500\u00a0kr"
    assert render("{{ x|kroner }}", x="1234.50") == "1\u00a0234,50\u00a0kr"
    assert render("{{ x|tall }}", x=1000000) == "1\u00a0000\u00a0000"
    assert render('{{ x|flertall:"sak,saker" }}', x=1) == "1 sak"
    assert render('{{ x|flertall:"sak,saker" }}', x=3) == "3 saker"
