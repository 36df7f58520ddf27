"""What the conditions views share: a refusal is shown as a message and changes nothing; every
action ends with a redirect back to where the user came from (same site only)."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def form_errors(form) -> ValidationError:
    return ValidationError([
        f"{form.fields[name].label}: {' '.join(errors)}" if name != "__all__" and form.fields[name].label
        else " ".join(errors)
        for name, errors in form.errors.items()
    ])


def back(request, default: str) -> str:
    target = request.POST.get("tilbake", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


def act(request, form, perform, success: str, default: str):
    """Validate, call the service, tell the user, go back."""
    target = back(request, default)
    if not form.is_valid():
        messages.error(request, " ".join(form_errors(form).messages))
        return redirect(target)
    try:
        perform(form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(target)
    messages.success(request, success)
    return redirect(target)


# A refused documentation form lives on a list page (the work list, the vedtak page) among many
# others, so the view redirects back to it as always and hands over, once, what was typed and
# each error for the vilkår's form: the page shows that form open, filled in, with the errors at
# their fields. The file itself cannot be handed back; browsers never prefill a file field.
REJECTED_DOCUMENT = "conditions_rejected_document"
DOCUMENT_FIELDS = ("type", "mottatt", "vurdering", "avvist_grunn", "planlagte_dager", "oppmotte_dager",
                   "fravaer_godkjent", "soknader")


def remember_rejected_document(request, vilkar_pk: int, errors: dict[str, list[str]]) -> None:
    request.session[REJECTED_DOCUMENT] = {
        "vilkar": vilkar_pk,
        "data": {name: request.POST.get(name, "")[:5000] for name in DOCUMENT_FIELDS},
        # "form" holds what belongs to no one field (template variables cannot start with "_").
        "errors": {("form" if name == "__all__" else name): list(messages_) for name, messages_ in errors.items()},
    }


def attach_rejected_document(request, vilkar_rows) -> None:
    """Give the vilkår whose form was just refused its `rejected` data; forget it either way."""
    rejected = request.session.pop(REJECTED_DOCUMENT, None)
    if not rejected:
        return
    for vilkar in vilkar_rows:
        if vilkar.pk == rejected["vilkar"]:
            vilkar.rejected = rejected
