"""All vedtak of the user's offices (/vilkar/vedtak/): filters, a search on name or saksnummer,
sortable columns and pages. Persons the user may not see are left out by the query."""
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from alnaaktiv import access
from conditions import selectors
from conditions.forms import VedtakListForm
from conditions.models import Fase

PAGE_SIZE = 50

def _filters(request, order_by: tuple) -> tuple[VedtakListForm, selectors.VedtakFilter | None]:
    """The form and its filters; None when the form was refused (nothing is listed then, so an
    unfiltered list is never taken for the answer)."""
    form = VedtakListForm(request.GET or None, fase_choices=Fase.choices,
                          saksbehandlere=selectors.saksbehandlere(request.user))
    if not form.is_bound:
        return form, selectors.VedtakFilter(order_by=order_by)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, selectors.VedtakFilter(
        fase=data["fase"], open_vilkar=data["apne_vilkar"], frist_before=data["frist_for"],
        saksbehandler=data["saksbehandler"], search=data["sok"], order_by=order_by,
    )



@access.role_required(*selectors.READERS)
@require_GET
def vedtak_list(request):
    order = selectors.vedtak_sorting(request.GET)
    form, filters = _filters(request, order.order_by)
    found = selectors.vedtak_list(request.user, filters) if filters is not None else []
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("side"))
    rows = [{"vedtak": vedtak, "name": access.display_name(request.user, vedtak.sak.hovedperson)}
            for vedtak in page.object_list]
    query = request.GET.copy()
    query.pop("side", None)
    return render(request, "conditions/vedtak_list.html", {
        "form": form, "page": page, "rows": rows, "sorting": order, "query": query.urlencode(),
        "may_write": access.has_role(request.user, *selectors.WRITERS),
    })
