"""The vedtak unit's work list (/vilkar/) and the follow-up veileder's activity vilkår."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from alnaaktiv import access, audit
from alnaaktiv.actor import Actor
from conditions import selectors, services
from conditions.forms import AssessVilkarForm
from conditions.models import DokumentType
from conditions.views.common import act, attach_rejected_document


def _rows(user, rows, name_of):
    return [{"obj": row, "name": access.display_name(user, name_of(row)),
             "visible": access.may_see_person(user, name_of(row))} for row in rows]


@access.role_required(*selectors.READERS)
@require_GET
def worklist(request):
    data = selectors.worklist(request.user)
    user = request.user
    may_write = access.has_role(user, *selectors.WRITERS)
    for key in ("waiting", "past_due"):
        data[key]["rows"] = _rows(user, data[key]["rows"], lambda vilkar: vilkar.person)
        for row in data[key]["rows"]:
            row["obj"].default_doc_type = default_doc_type(row["obj"])
    attach_rejected_document(request, [row["obj"] for key in ("waiting", "past_due") for row in data[key]["rows"]])
    data["unassessed"]["rows"] = _rows(user, data["unassessed"]["rows"], lambda doc: doc.vilkar.person)
    data["deadline"]["rows"] = _rows(user, data["deadline"]["rows"], lambda vedtak: vedtak.sak.hovedperson)
    return render(request, "conditions/worklist.html", {
        **data, "may_write": may_write, "doc_types": DokumentType.choices, "back": reverse("conditions-worklist"),
    })


def default_doc_type(vilkar) -> str:
    return {"soknader_per_uke": "jobbsoknader", "oppmote_prosent": "oppmoteliste"}.get(vilkar.enhet, "")


@access.role_required(*selectors.ASSESSORS)
@require_GET
def activity_list(request):
    rows = list(selectors.activity_for_assessment(request.user)[:100])
    items = []
    for vilkar in rows:
        items.append({"vilkar": vilkar, "name": access.display_name(request.user, vilkar.person),
                      "visible": access.may_see_person(request.user, vilkar.person),
                      "progress": services.activity_progress(vilkar)})
    return render(request, "conditions/activity_list.html", {"items": items})


@login_required
@require_http_methods(["GET", "POST"])
def vilkar_assess(request, pk):
    vilkar = selectors.get_vilkar_for_user(request.user, pk, roles=selectors.ASSESSORS)
    access.require_role(request.user, *selectors.ASSESSORS, office=vilkar.vedtak.office.enhetsnummer)
    if request.method == "POST":
        return act(
            request, AssessVilkarForm(request.POST),
            lambda data: services.vilkar_assess(vilkar=vilkar, actor=Actor.from_request(request), oppfylt=data["oppfylt"],
                                                begrunnelse=data["begrunnelse"], version=data["versjon"]),
            "Vurderingen av vilkåret er lagret.", reverse("activity-list"),
        )
    audit.record_read(request, person=vilkar.person, obj=vilkar, office=vilkar.vedtak.office.enhetsnummer)
    vilkar = selectors.vilkar_with_documents(vilkar)
    return render(request, "conditions/vilkar_assess.html", {
        "vilkar": vilkar, "progress": services.activity_progress(vilkar),
        "form": AssessVilkarForm(initial={"versjon": vilkar.version}),
    })
