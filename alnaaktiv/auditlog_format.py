"""A person's audit entries and their renderings: the JSON keys of the contract and CEF for
NAV's log collection. `manage.py audit_log` and the admin's innsyn PDF read the same query."""
from django.db.models import QuerySet

from alnaaktiv.models import AuditEntry


def entries_for_person(fnr: str) -> QuerySet[AuditEntry]:
    """Every recorded read and change of the person's data, oldest first."""
    return AuditEntry.objects.filter(person_fnr=fnr).order_by("time", "id")


class PersonByFnr:
    """The person as the log knows them: by number, whether or not they are still stored (an
    anonymised person's number lives on only in the log)."""

    adressebeskyttelse = "ugradert"
    skjermet = False

    def __init__(self, fnr: str):
        self.fnr = fnr


CEF_VERSION = "CEF:0"
VENDOR = "NAV"
PRODUCT = "AlnaAktiv"
PRODUCT_VERSION = "1.0"
CEF_ACTION_NAMES = {
    "read": "Lesing av personopplysninger",
    "create": "Oppretting av personopplysninger",
    "update": "Endring av personopplysninger",
    "delete": "Sletting av personopplysninger",
    "export": "Eksport av personopplysninger",
}


def entry_as_dict(entry: AuditEntry) -> dict:
    return {
        "time": entry.time.isoformat(),
        "user": entry.username,
        "role": entry.role,
        "action": entry.action,
        "object": f"{entry.object_type}:{entry.object_id}" if entry.object_type else "",
        "path": entry.path,
        "office": entry.office,
        "request_id": entry.request_id,
        "needs_review": entry.needs_review,
    }


def cef_header_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def cef_extension_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("=", "\\=").replace("\r", "\\r").replace("\n", "\\n")


def entry_as_cef(entry: AuditEntry) -> str:
    header = [
        CEF_VERSION, VENDOR, PRODUCT, PRODUCT_VERSION,
        f"audit:{entry.action}", CEF_ACTION_NAMES.get(entry.action, entry.action), "INFO",
    ]
    extension = {
        "end": str(int(entry.time.timestamp() * 1000)),
        "suid": entry.username,
        "duid": entry.person_fnr,
        "sproc": entry.request_id,
        "request": entry.path,
        "cs3Label": "rolle",
        "cs3": entry.role,
        "cs5Label": "kontor",
        "cs5": entry.office,
        "cs6Label": "objekt",
        "cs6": f"{entry.object_type}:{entry.object_id}" if entry.object_type else "",
        "flexString1Label": "Decision",
        "flexString1": "Permit",
    }
    head = "|".join(cef_header_escape(part) for part in header)
    tail = " ".join(f"{key}={cef_extension_escape(value)}" for key, value in extension.items() if value != "")
    return f"{head}|{tail}"
