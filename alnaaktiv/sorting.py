"""Lists like a spreadsheet: column headers that sort. One small piece every list uses, so the
headers look, sound and behave the same everywhere.

Usage, in a view::

    COLUMNS = [
        sorting.Column("navn", "Navn", ("person__navn", "id")),
        sorting.Column("dato", "Siste hendelse", ("-status_dato", "id"), descending_first=True),
        sorting.Column("neste", "Neste steg"),          # no order_by: a plain header
    ]
    order = sorting.Sorting(request.GET, COLUMNS, default="dato")
    rows = rows.order_by(*order.order_by)
    render(..., {"sorting": order})

and in the template::

    {% load sorting %}
    <thead><tr>{% sort_header sorting "navn" %}{% sort_header sorting "dato" %}…</tr></thead>

- The key travels in the query string as `?sorter=<key>`; `-<key>` is the same column reversed.
  Only the columns' keys are accepted (a whitelist); anything else is the default, never an
  error, so an old bookmark keeps working.
- `order_by` is the column's order as given (the direction a first click gives), or reversed
  for `-<key>`: each string's leading "-" toggles, an F(...).asc()/desc() flips and keeps its
  nulls placement. End each column's order with a unique field ("id") so pages are stable.
- A header is a link that keeps every other parameter of the query string (the filters) except
  the page number (`side`), which starts again at 1; clicking the sorted column again reverses
  it. The sorted column's <th> has aria-sort ("ascending"/"descending") and a visible arrow.
- `descending_first=True` says the column's own order is descending (newest first), so aria-sort
  and the arrow tell the truth.
- A column that reveals what the user may not see (e.g. KAREA and the Oskar målgrupper: the sort
  order alone would tell them apart) is simply left without `order_by`.
"""
from dataclasses import dataclass, field

from django.db.models.expressions import OrderBy
from django.http import QueryDict

PARAM = "sorter"
PAGE_PARAM = "side"
ARROWS = {"ascending": "▲", "descending": "▼"}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    order: tuple = ()
    descending_first: bool = False

    @property
    def sortable(self) -> bool:
        return bool(self.order)


def _reversed(term):
    if isinstance(term, str):
        return term[1:] if term.startswith("-") else f"-{term}"
    if isinstance(term, OrderBy):
        return OrderBy(term.expression, descending=not term.descending,
                       nulls_first=term.nulls_first, nulls_last=term.nulls_last)
    return term.desc()  # a bare expression (F("x")) orders ascending


@dataclass
class Sorting:
    """The chosen sort of a list from its query string (see the module's docstring)."""

    query: QueryDict
    columns: list[Column]
    default: str
    param: str = PARAM
    key: str = field(init=False)
    reverse: bool = field(init=False)

    def __post_init__(self):
        self._by_key = {column.key: column for column in self.columns if column.sortable}
        if self.default.lstrip("-") not in self._by_key:
            raise ValueError(f"standard-sorteringen {self.default!r} er ikke en sorterbar kolonne")
        self.key, self.reverse = self._parse(self.query.get(self.param, ""))

    def _parse(self, value: str) -> tuple[str, bool]:
        reverse = value.startswith("-")
        if value.lstrip("-") in self._by_key:
            return value.lstrip("-"), reverse
        return self.default.lstrip("-"), self.default.startswith("-")

    @property
    def value(self) -> str:
        """The current sort as it goes in a query string (`navn`, `-navn`)."""
        return f"-{self.key}" if self.reverse else self.key

    @property
    def order_by(self) -> list:
        order = self._by_key[self.key].order
        return [_reversed(term) for term in order] if self.reverse else list(order)

    def direction(self, key: str) -> str | None:
        """aria-sort of the column: "ascending", "descending", or None when not sorted by it."""
        column = self._by_key.get(key)
        if column is None or key != self.key:
            return None
        return "descending" if column.descending_first != self.reverse else "ascending"

    def url(self, key: str) -> str:
        """The query string ("?…") that sorts by `key`, reversed when it is already sorted by it."""
        query = self.query.copy()
        query.pop(PAGE_PARAM, None)
        query[self.param] = f"-{key}" if key == self.key and not self.reverse else key
        return f"?{query.urlencode()}"

    def header(self, key: str) -> dict:
        """What the header template draws for column `key`."""
        column = next(column for column in self.columns if column.key == key)
        direction = self.direction(key)
        return {
            "label": column.label, "sortable": column.sortable, "direction": direction,
            "arrow": ARROWS.get(direction or "", ""), "url": self.url(key) if column.sortable else "",
        }
