"""Reading rendered pages in tests: what a refused form shows at its fields."""
import re


def field_has_error(page: str, field_id: str) -> bool:
    """The field with this id is marked invalid and described by its error (as crispy draws it)."""
    return re.search(rf'aria-invalid="true" aria-describedby="[^"]*{field_id}_error"', page) is not None


def field_tag(page: str, field_id: str) -> str:
    """The opening tag of the input, select or textarea with this id."""
    return re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{field_id}"[^>]*>', page).group(0)


def textarea_value(page: str, field_id: str) -> str:
    return re.search(rf'<textarea\b[^>]*\bid="{field_id}"[^>]*>\n?(.*?)</textarea>', page, flags=re.S).group(1)
