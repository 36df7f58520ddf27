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
# The columns with a sort link: (label, the ?sorter= key ascending).
COLUMNS = [("Hovedperson", "navn"), ("Saksnummer", "saksnummer"), ("Søknad mottatt", "mottatt"),
           ("Status", "fase"), ("Neste frist", "frist")]


def _filters(request) -> tuple[VedtakListForm, selectors.VedtakFilter]:
    form = VedtakListForm(request.GET or None, fase_choices=Fase.choices,
                          saksbehandlere=selectors.saksbehandlere(request.user))
    sort = request.GET.get("sorter", "")
    sort = sort if sort in selectors.VEDTAK_SORTS else selectors.DEFAULT_VEDTAK_SORT
    if not form.is_valid():
        return form, selectors.VedtakFilter(sort=sort)
    data = form.cleaned_data
    return form, selectors.VedtakFilter(
        fase=data["fase"], open_vilkar=data["apne_vilkar"], frist_before=data["frist_for"],
        saksbehandler=data["saksbehandler"], search=data["sok"], sort=sort,
    )


def _columns(sort: str) -> list[dict]:
    """Each column's sort link: ascending, or descending when it is the ascending sort now."""
    columns = []
    for label, key in COLUMNS:
        current = sort.lstrip("-") == key
        columns.append({"label": label, "sort": f"-{key}" if sort == key else key,
                        "current": "ascending" if sort == key else ("descending" if current else "")})
    return columns


@access.role_required(*selectors.READERS)
@require_GET
def vedtak_list(request):
    form, filters = _filters(request)
    page = Paginator(selectors.vedtak_list(request.user, filters), PAGE_SIZE).get_page(request.GET.get("side"))
    rows = [{"vedtak": vedtak, "name": access.display_name(request.user, vedtak.sak.hovedperson)}
            for vedtak in page.object_list]
    query = request.GET.copy()
    query.pop("side", None)
    sort_query = query.copy()
    sort_query.pop("sorter", None)
    return render(request, "conditions/vedtak_list.html", {
        "form": form, "page": page, "rows": rows, "columns": _columns(filters.sort), "query": query.urlencode(),
        "sort_query": sort_query.urlencode(), "may_write": access.has_role(request.user, *selectors.WRITERS),
    })
