"""/deltakere/tildel/: handing many participants over to another veileder at once (a holiday, a
long absence), chosen from the office's list filtered by their current veileder. One form, one
service call: all or nothing."""
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from alnaaktiv import access, interaction
from alnaaktiv.actor import Actor
from cases import selectors, services
from cases.forms import AssignFilterForm, VeilederAssignForm

# «Merk alle»: the page opens with every listed participant ticked (no script needed).
SELECT_ALL = "alle"


def _success_message(data: dict, made: list) -> str:
    name = data["to_veileder"].display_name
    changed = {tildeling.deltaker_id for tildeling in made}
    message = f"{len(made)} deltaker{'e' if len(made) != 1 else ''} har fått {name} som veileder."
    unchanged = [deltaker.person.navn for deltaker in data["deltakere"] if deltaker.pk not in changed]
    if unchanged:
        message += f" Hadde allerede {name} som veileder og er ikke endret: {', '.join(unchanged)}."
    return message


def _selected(request, form, rows) -> set[str]:
    if form.is_bound:
        return {str(value) for value in form["deltakere"].value() or ()}
    return {str(deltaker.pk) for deltaker in rows} if request.GET.get("merk") == SELECT_ALL else set()


@access.role_required(*selectors.ASSIGN_ROLES)
@require_http_methods(["GET", "POST"])
def participant_assign(request):
    veiledere = selectors.active_veiledere(access.offices(request.user, *selectors.ASSIGN_ROLES))
    filter_form = AssignFilterForm(request.GET or None, veiledere=veiledere, unassigned=selectors.UNASSIGNED)
    current = filter_form.cleaned_data["veileder"] if filter_form.is_valid() else ""
    rows = list(selectors.assignable_participants(request.user, veileder=current))
    # The list as filtered, without «Merk alle»: where the form posts and comes back to.
    list_url = reverse("participant-assign") + (f"?{urlencode({'veileder': current})}" if current else "")

    def page(form):
        selected = _selected(request, form, rows)
        return render(request, "cases/participant_assign.html", {
            "filter_form": filter_form, "form": form, "current": current, "select_all": SELECT_ALL,
            "list_url": list_url,
            "rows": [{"deltaker": deltaker, "name": access.display_name(request.user, deltaker.person),
                      "checked": str(deltaker.pk) in selected} for deltaker in rows],
        })

    def form(data=None):
        return VeilederAssignForm(data, veiledere=veiledere, auto_id="tildel_%s",
                                  participants=selectors.assignable_participants(request.user))

    if request.method == "GET":
        return page(form())
    bound = form(request.POST)
    return interaction.act(
        request, form=bound,
        perform=lambda data: services.veileder_assign(
            deltakere=list(data["deltakere"]), to_veileder=data["to_veileder"], reason=data["reason"],
            actor=Actor.from_request(request)),
        success_message=lambda made: _success_message(bound.cleaned_data, made),
        redirect_to=list_url, section="tildeling", rerender=page,
    )
