"""{% sort_header sorting "key" %}: one sortable column header (alnaaktiv.sorting)."""
from django import template

register = template.Library()


@register.inclusion_tag("alnaaktiv/_sort_header.html")
def sort_header(sorting, key: str, classes: str = ""):
    """The <th> of column `key` of a `Sorting`: a link that sorts by it (again: reversed), with
    aria-sort and a visible arrow on the sorted column. `classes` go on the <th> (e.g. "text-end")."""
    return {"header": sorting.header(key), "classes": classes}
