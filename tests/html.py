"""Reading rendered pages in tests: one section of a page, and what a refused form shows at its fields."""
import re


def field_has_error(page: str, field_id: str) -> bool:
    """The field with this id is marked invalid and described by its error (as crispy draws it)."""
    return re.search(rf'aria-invalid="true" aria-describedby="[^"]*{field_id}_error"', page) is not None


def field_tag(page: str, field_id: str) -> str:
    """The opening tag of the input, select or textarea with this id."""
    return re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{field_id}"[^>]*>', page).group(0)


def textarea_value(page: str, field_id: str) -> str:
    return re.search(rf'<textarea\b[^>]*\bid="{field_id}"[^>]*>\n?(.*?)</textarea>', page, flags=re.S).group(1)


def section(page: str, section_id: str) -> str:
    """The HTML of the element with this id (a <section>, with the sections nested in it) up to
    its closing tag; for a heading with the id, of the <section> it heads."""
    start = page.rindex("<", 0, page.index(f'id="{section_id}"'))
    if re.match(r"<h[1-6]\b", page[start:]):
        start = page.rindex("<section", 0, start)
    tag = page[start + 1:].split(None, 1)[0]
    depth, position = 0, start
    for match in re.finditer(rf"<(/?){tag}\b", page[start:]):
        depth += -1 if match.group(1) else 1
        position = start + match.end()
        if depth == 0:
            break
    return page[start:page.find(">", position) + 1]
