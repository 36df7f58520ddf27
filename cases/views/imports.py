"""The import page (/import/) for the prosjektleder: upload an Oskar and/or Arena extract and/or
the participants' tracking list, see a preview with the counts and every `linje N:` error (a dry
run), then confirm. Between the steps the uploaded bytes wait in a file with a random name under
MEDIA_ROOT/imports (never under static), referred to from the session and deleted after confirm
or cancel, or by beat before they are 24 hours old (cases.imports.files)."""
import secrets

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from alnaaktiv import access
from alnaaktiv.actor import Actor
from alnaaktiv.dates import parse_date
from alnaaktiv.models import Office, Role
from cases.forms import RegisterImportForm
from cases.imports import (
    ARENA,
    KIND_LABELS,
    KINDS,
    OSKAR,
    ImportRefused,
    RegisterImportRefused,
    import_participants,
    import_registers,
    pending_path,
)

IMPORT_ROLES = (Role.PROSJEKTLEDER,)
SESSION_KEY = "register_import"
PARTICIPANTS = "deltakere"
LABELS = {**KIND_LABELS, PARTICIPANTS: "Sporingslisten for deltakere"}


class _Refused(Exception):
    """Rolls the confirm step's transaction back when any of the files was refused."""


def _discard(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if not pending:
        return
    for kind in pending.get("kinds", []):
        pending_path(pending["token"], kind).unlink(missing_ok=True)


def _store(request, form) -> dict:
    data = form.cleaned_data
    pending = {
        "token": secrets.token_hex(16),
        "kontor": data["kontor"],
        "dato": data["dato"].isoformat() if data.get("dato") else "",
        "kinds": [kind for kind in KINDS if data.get(kind)],
        "skip_invalid": data["hopp_over_feil"],
    }
    for kind in pending["kinds"]:
        path = pending_path(pending["token"], kind)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as target:
            for chunk in data[kind].chunks():
                target.write(chunk)
    request.session[SESSION_KEY] = pending
    return pending


def _run(request, pending: dict, *, dry_run: bool) -> dict:
    """Run the imports of the pending upload; returns what the preview template shows."""
    office = Office.objects.get(enhetsnummer=pending["kontor"])
    files = {kind: pending_path(pending["token"], kind).read_bytes() for kind in pending["kinds"]}
    outcome = {"results": [], "refused": {}, "office": office, "skip_invalid": pending["skip_invalid"],
               "dato": parse_date(pending["dato"]) if pending["dato"] else None}
    if OSKAR in files or ARENA in files:
        try:
            results = import_registers(
                office=office, as_of=outcome["dato"], oskar=files.get(OSKAR), arena=files.get(ARENA),
                skip_invalid=pending["skip_invalid"], dry_run=dry_run, actor=Actor.from_request(request),
            )
            outcome["results"].extend((LABELS[kind], result) for kind, result in results.items())
        except RegisterImportRefused as refused:
            outcome["refused"].update({LABELS[kind]: errors for kind, errors in refused.errors_by_kind.items()})
    if PARTICIPANTS in files:
        try:
            result = import_participants(
                files[PARTICIPANTS], office=office, skip_invalid=pending["skip_invalid"], dry_run=dry_run,
                actor=Actor.from_request(request),
            )
            outcome["results"].append((LABELS[PARTICIPANTS], result))
        except ImportRefused as refused:
            outcome["refused"][LABELS[PARTICIPANTS]] = refused.errors
    return outcome


def _confirm(request):
    pending = request.session.get(SESSION_KEY)
    if not pending:
        messages.error(request, "Ingen import venter på bekreftelse. Last opp filene på nytt.")
        return redirect("register-import")
    access.require_role(request.user, *IMPORT_ROLES, office=pending["kontor"])
    if not all(pending_path(pending["token"], kind).is_file() for kind in pending["kinds"]):
        _discard(request)  # deleted by beat: a preview waits at most 24 hours
        messages.error(request, "Forhåndsvisningen er for gammel, og filene er slettet. Last opp filene på nytt.")
        return redirect("register-import")
    try:
        with transaction.atomic():
            outcome = _run(request, pending, dry_run=False)
            if outcome["refused"]:
                raise _Refused
    except _Refused:
        # Something changed since the preview: all files are refused together, nothing is kept.
        _discard(request)
        return render(request, "cases/register_import_preview.html", {"outcome": outcome, "confirmed": True})
    _discard(request)
    for label, result in outcome["results"]:
        messages.success(request, f"{label}: {result.summary()}")
        for notice in result.notices:
            messages.warning(request, f"{label}, til kontroll: {notice}")
    return redirect("register-import")


@access.role_required(*IMPORT_ROLES)
@require_http_methods(["GET", "POST"])
def register_import(request):
    action = request.POST.get("handling", "forhandsvis")
    if request.method == "POST" and action == "bekreft":
        return _confirm(request)
    if request.method == "POST" and action == "avbryt":
        _discard(request)
        messages.info(request, "Importen ble avbrutt. Ingenting ble lagret.")
        return redirect("register-import")
    offices = list(Office.objects.filter(enhetsnummer__in=access.offices(request.user, *IMPORT_ROLES)))
    form = RegisterImportForm(request.POST or None, request.FILES or None, offices=offices, participant_import=True)
    if request.method == "POST" and form.is_valid():
        _discard(request)
        pending = _store(request, form)
        outcome = _run(request, pending, dry_run=True)
        if outcome["refused"]:
            _discard(request)  # cannot be confirmed; the user uploads corrected files
        return render(request, "cases/register_import_preview.html", {"outcome": outcome, "confirmed": False})
    return render(request, "cases/register_import.html", {"form": form})
