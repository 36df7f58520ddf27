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
