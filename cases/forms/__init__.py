"""Forms of the cases pages, by sub-domain: participants, mapping, screening and import."""
from cases.forms.assignments import AssignFilterForm, VeilederAssignForm, VeilederChangeForm
from cases.forms.mapping import (
    TEXT_SMALL,
    ActivityForm,
    AssessmentForm,
    KlartJegKanForm,
    MappingForm,
    MappingStartForm,
    RouteForm,
    UndoReceiptForm,
)
from cases.forms.participants import (
    DATETIME_WIDGET,
    AppointmentFilterForm,
    AppointmentForm,
    AppointmentOutcomeForm,
    BulkMetForm,
    HuskelappForm,
    HuskelappUndoForm,
    JournalCorrectionForm,
    JournalForm,
    MalgruppeForm,
    MeetingForm,
    PortfolioFilterForm,
    ReferralForm,
    SearchForm,
    TransitionForm,
)
from cases.forms.screening import (
    DATE_FORMATS,
    OFFICE_FIELD,
    EnrolForm,
    ExclusionForm,
    ExclusionUndoForm,
    ReferCandidateForm,
    RegisterImportForm,
    ScreeningForm,
    office_choices,
)

__all__ = [
    "AppointmentFilterForm", "AppointmentForm", "AppointmentOutcomeForm", "BulkMetForm",
    "DATETIME_WIDGET", "HuskelappForm", "HuskelappUndoForm", "JournalCorrectionForm", "JournalForm",
    "MalgruppeForm", "MeetingForm", "PortfolioFilterForm", "ReferralForm", "SearchForm", "TransitionForm",
    "ActivityForm", "AssessmentForm", "KlartJegKanForm", "MappingForm", "MappingStartForm", "RouteForm",
    "TEXT_SMALL", "UndoReceiptForm", "DATE_FORMATS", "EnrolForm", "ExclusionForm", "ExclusionUndoForm",
    "OFFICE_FIELD", "ReferCandidateForm", "RegisterImportForm", "ScreeningForm", "office_choices",
    "AssignFilterForm", "VeilederAssignForm", "VeilederChangeForm",
]
