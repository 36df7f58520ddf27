"""The import pipeline (docs/contracts.md): register extracts (Oskar, Arena) and the participants'
tracking list, each parsed into typed rows with every error collected by line, planned against
what is stored, refused as a whole on any error (unless the caller skips the invalid rows) and
written in one transaction; plus the uploaded files waiting for the import page's confirm step.

- `common`: reading CSV, the fnr cell and field parsers, `ImportErrors`, `ImportRefused`,
  `ImportResult`;
- `registers`: the Oskar and Arena extracts (`import_registers`);
- `participants`: the tracking list (`import_participants`);
- `files`: the pending upload files of /import/."""
from cases.imports.common import (
    CellError,
    CsvFile,
    CsvRow,
    ImportErrors,
    ImportRefused,
    ImportResult,
    Reason,
    RowError,
    parse_choice,
    parse_fnr_cell,
    parse_int,
    parse_text,
    read_csv,
)
from cases.imports.files import KINDS, delete_abandoned_import_files, pending_path
from cases.imports.participants import import_participants
from cases.imports.registers import (
    ARENA,
    ARENA_ONLY_NAME,
    KIND_LABELS,
    OSKAR,
    PROTECTED_ELSEWHERE,
    RegisterImportRefused,
    import_registers,
    persons_with_saker_elsewhere,
)

__all__ = [
    "ARENA", "ARENA_ONLY_NAME", "KIND_LABELS", "KINDS", "OSKAR", "PROTECTED_ELSEWHERE", "CellError", "CsvFile",
    "CsvRow", "ImportErrors", "ImportRefused", "ImportResult", "Reason", "RegisterImportRefused", "RowError",
    "delete_abandoned_import_files", "import_participants", "import_registers", "parse_choice",
    "parse_fnr_cell", "parse_int", "parse_text", "pending_path", "persons_with_saker_elsewhere", "read_csv",
]
