"""The vedtak unit's work list (/vilkar/) and the follow-up veileder's activity vilkår."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from alnaaktiv import access, audit, interaction
from alnaaktiv.actor import Actor
from conditions import selectors, services
from conditions.forms import AssessVilkarForm
from conditions.models import DokumentType, Enhet


def _rows(user, rows, name_of):
    return [{"obj": row, "name": access.display_name(user, name_of(row)),
             "visible": access.may_see_person(user, name_of(row))} for row in rows]


def vilkar_section(vilkar, today) -> str:
    """The work list section a vilkår's row is in: past due or waiting."""
    return "over-frist" if vilkar.frist < today else "venter"


@access.role_required(*selectors.READERS)
@require_GET
def worklist(request):
    return worklist_page(request)


def _place_refused(rows: list[dict], refused) -> bool:
    """Puts the refused form (pk, bound form) on its row; False when the row is not on the list."""
    for row in rows:
        if refused and row["obj"].pk == refused[0]:
            row["obj"].refused_form = refused[1]
            return True
    return False


def worklist_page(request, *, document=None, assess=None) -> HttpResponse:
    """The work list, with the one refused form filled in: `document` is (vilkår pk, bound
    DocumentForm), `assess` (document pk, bound AssessDocumentForm). Every other form is the
    plain hand-written one (drawing 50 forms through crispy cost about a second)."""
    data = selectors.worklist(request.user)
    user = request.user
    for key in ("waiting", "past_due"):
        data[key]["rows"] = _rows(user, data[key]["rows"], lambda vilkar: vilkar.person)
        for row in data[key]["rows"]:
            row["obj"].default_doc_type = default_doc_type(row["obj"])
    data["unassessed"]["rows"] = _rows(user, data["unassessed"]["rows"], lambda doc: doc.vilkar.person)
    placed = (_place_refused(data["waiting"]["rows"] + data["past_due"]["rows"], document)
              or _place_refused(data["unassessed"]["rows"], assess))
    refused = document or assess
    if refused and not placed:
        # The row left the list meanwhile (someone else acted on it): the errors as a message.
        interaction.refuse(request, interaction.form_summary(refused[1]))
    data["deadline"]["rows"] = _rows(user, data["deadline"]["rows"], lambda vedtak: vedtak.sak.hovedperson)
    return render(request, "conditions/worklist.html", {
        **data, "may_write": access.has_role(user, *selectors.WRITERS), "doc_types": DokumentType.choices,
        "back": reverse("conditions-worklist"), "deadline_label": selectors.deadline_label(), **selectors.STATUS_ENUMS,
        "breaches": selectors.start_worklist_breaches(user),
    })


def default_doc_type(vilkar) -> str:
    return {Enhet.SOKNADER_PER_UKE: DokumentType.JOBBSOKNADER, Enhet.OPPMOTE_PROSENT: DokumentType.OPPMOTELISTE}.get(
        vilkar.enhet, "")


@access.role_required(*selectors.ASSESSORS)
@require_GET
def activity_list(request):
    order = selectors.activity_list_sorting(request.GET)
    rows = list(selectors.activity_vilkar_to_assess(request.user).order_by(*order.order_by)[:100])
    items = []
    for vilkar in rows:
        items.append({"vilkar": vilkar, "name": access.display_name(request.user, vilkar.person),
                      "visible": access.may_see_person(request.user, vilkar.person),
                      "progress": services.activity_vilkar_progress(vilkar)})
    return render(request, "conditions/activity_list.html", {"items": items, "sorting": order})


def _assess_page(request, vilkar, form) -> HttpResponse:
    audit.record_read(request, person=vilkar.person, obj=vilkar, office=vilkar.vedtak.office.enhetsnummer)
    vilkar = selectors.vilkar_with_documents(vilkar)
    return render(request, "conditions/vilkar_assess.html", {
        "vilkar": vilkar, "progress": services.activity_vilkar_progress(vilkar), "form": form, "may_download": True,
        **selectors.STATUS_ENUMS,
    })


@login_required
@require_http_methods(["GET", "POST"])
def vilkar_assess(request, pk):
    vilkar = selectors.get_vilkar_for_user(request.user, pk, act=selectors.ASSESSORS)
    if request.method == "GET":
        return _assess_page(request, vilkar, AssessVilkarForm(initial={"versjon": vilkar.version}))
    return interaction.act(
        request, form=AssessVilkarForm(request.POST),
        perform=lambda data: services.vilkar_assess(
            vilkar=vilkar, actor=Actor.from_request(request), oppfylt=data["oppfylt"], begrunnelse=data["begrunnelse"],
            version=data["versjon"]),
        success_message=f"Vurderingen av vilkåret for {access.display_name(request.user, vilkar.person)} er lagret.",
        redirect_to=reverse("activity-list"), section="til-vurdering",
        rerender=lambda form: _assess_page(request, vilkar, form),
    )
