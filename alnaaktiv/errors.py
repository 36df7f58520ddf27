"""The one base class for a refused domain action.

Every app's refusal (`CourseError`, `ConditionsError`, `ArbeidsboksError`, …) derives from
`DomainError`: the Norwegian message is shown to the user as it is, errors keyed by a form field
are shown at that field (`alnaaktiv.interaction.apply_error`), and nothing was written.
"""
from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A refused change; the message is shown to the user as it is, and nothing was written."""
