"""How every page acts on input: one path for actions, refusals, messages and confirmations.

An action validates its form, calls a service inside a transaction and, on success, redirects back
to the page (POST/redirect/GET) with the message inside the section the user acted in. A refused
action re-renders the same page with the bound form: every typed value kept, each error at its
field (crispy renders aria-invalid/aria-describedby), the first invalid field focused (autofocus,
so it works without JavaScript) and the summary inside the form's own section. An irreversible or
money step first shows a confirmation page that repeats what was posted; only «Bekreft» performs it.
"""
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

# A message meant for one section of a page carries this prefix and the section's id in its
# extra tags; the base template shows only the others at the top (templatetags/interaction.py).
SECTION_TAG = "seksjon:"
CONFIRM_FIELD = "bekreftet"
REFUSED_STATUS = 400


def _tags(section: str | None) -> str:
    return f"{SECTION_TAG}{section}" if section else ""


def success(request: HttpRequest, text: str, *, section: str | None = None) -> None:
    messages.success(request, text, extra_tags=_tags(section))


def refuse(request: HttpRequest, error: ValidationError | str, *, section: str | None = None) -> None:
    """A refusal without a form to show it at: one message, in the section when given."""
    text = error if isinstance(error, str) else " ".join(error.messages)
    messages.error(request, text, extra_tags=_tags(section))


def with_anchor(url: str, section: str | None) -> str:
    return f"{url}#{section}" if section else url


def back(request: HttpRequest, default: str) -> str:
    """The same-site page the form came from (a hidden «tilbake» field), else the default."""
    target = request.POST.get("tilbake", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


def apply_error(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: errors naming one of its fields go to that field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def focus_first_error(form) -> None:
    """Autofocus the first invalid field: the browser moves there (and scrolls) without JavaScript.
    A refusal of the whole form (no field named) focuses its summary instead (_form_errors.html)."""
    for name in form.fields:
        if name in form.errors and not form.fields[name].widget.is_hidden:
            form.fields[name].widget.attrs["autofocus"] = True
            return
    form.focus_summary = True


def form_summary(form) -> str:
    """The errors as one sentence, for refusals shown as a message (a list page without the form)."""
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields and form.fields[name].label
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


def act(
    request: HttpRequest,
    *,
    perform: Callable[[dict], Any],
    success_message: str | Callable[[Any], str],
    redirect_to: str | Callable[[Any], str],
    section: str | None = None,
    form=None,
    rerender: Callable[[Any], HttpResponse] | None = None,
) -> HttpResponse:
    """The one path of a page's action.

    `perform(cleaned_data)` calls the service (in a transaction) and raises ValidationError to
    refuse. `rerender(form)` draws the page again with the refused bound form; without it (an
    action with nothing typed) the refusal is a message in `section` after the redirect.
    `redirect_to` may be a function of the result, for an action that creates the page it leads
    to (it is called with None for a refusal that has no `rerender`). `rerender` returns None
    when the form has no place on the page any more (its row was changed by someone else
    meanwhile): the refusal is then a message in `section`.
    """
    def target(result) -> str:
        return with_anchor(redirect_to(result) if callable(redirect_to) else redirect_to, section)

    if form is not None and not form.is_valid():
        return _refused(request, form, None, rerender, target, section)
    try:
        with transaction.atomic():
            result = perform(form.cleaned_data if form is not None else {})
    except ValidationError as error:
        return _refused(request, form, error, rerender, target, section)
    success(request, success_message(result) if callable(success_message) else success_message, section=section)
    return redirect(target(result))


def _refused(request, form, error, rerender, target, section) -> HttpResponse:
    if form is not None and rerender is not None:
        if error is not None:
            apply_error(form, error)
        focus_first_error(form)
        response = rerender(form)
        if response is not None:
            response.status_code = REFUSED_STATUS
            return response
    # No form to draw it at (none, or its row is gone since: someone else got there first).
    refuse(request, error if error is not None else form_summary(form), section=section)
    return redirect(target(None))


def is_confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "ja"


def confirmation(
    request: HttpRequest,
    *,
    title: str,
    warning: str,
    confirm_label: str,
    cancel_url: str,
    summary: list[tuple[str, str]] | None = None,
    body: str = "",
    back_action: str = "",
    back_label: str = "Tilbake uten å bekrefte",
) -> HttpResponse:
    """The confirmation page of an irreversible or money step: it repeats what was posted as
    hidden fields, so «Bekreft» performs exactly that and «Avbryt» changes nothing. With
    `back_action` the way back posts the same fields there (e.g. back to the form, still filled in)."""
    carried = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
        for value in request.POST.getlist(name)
    ]
    return render(request, "alnaaktiv/confirm.html", {
        "title": title, "warning": warning, "confirm_label": confirm_label, "cancel_url": cancel_url,
        "summary": summary or [], "body": body, "carried": carried, "action": request.path,
        "back_action": back_action, "back_label": back_label,
    })
