"""The one base class for a refused domain action.

Every app's refusal (`CourseError`, `ConditionsError`, `ArbeidsboksError`, …) derives from
`DomainError`: the Norwegian message is shown to the user as it is, errors keyed by a form field
are shown at that field (`alnaaktiv.interaction.apply_error`), and nothing was written.
"""
from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A refused change; the message is shown to the user as it is, and nothing was written."""

    @classmethod
    def full_clean(cls, obj, **kwargs) -> None:
        """`obj.full_clean()`, refusing as this error: a rule on one row lives once, in the model's
        constraint with its Norwegian message at its field (alnaaktiv.models.CheckedModel), and a
        service keeps only the rules that need other rows."""
        try:
            obj.full_clean(**kwargs)
        except ValidationError as error:
            raise cls(error) from None  # ValidationError(error) keeps its errors by field
