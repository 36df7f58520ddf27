"""Norwegian number formats for templates: {{ belop|kroner }} → «12 500 kr», {{ n|tall }} → «12 500»,
{{ n|flertall:"sak,saker" }} → «1 sak» / «2 saker»."""
from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()
# Norwegian groups thousands with a (non-breaking) space and uses a decimal comma.
THOUSANDS = "\u00a0"


def _number(value) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return "" if value is None else str(value)
    whole = number == number.to_integral_value()
    text = f"{number:,.0f}" if whole else f"{number:,.2f}"
    return text.replace(",", THOUSANDS).replace(".", ",")


@register.filter
def tall(value) -> str:
    return _number(value)


@register.filter
def kroner(value) -> str:
    text = _number(value)
    return f"{text}{THOUSANDS}kr" if text else ""


@register.filter
def flertall(count, forms: str = ",er") -> str:
    """«1 sak», «3 saker»: the count with the singular or plural form."""
    singular, plural = forms.split(",", 1)
    return f"{_number(count)} {singular if str(count) == '1' else plural}"
