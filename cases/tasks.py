from celery import shared_task

from cases.imports.files import delete_abandoned_import_files


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def delete_abandoned_import_files_task() -> int:
    """Idempotent housekeeping run by beat: uploaded import files (with fødselsnumre) of a
    preview nobody confirmed or cancelled are deleted before they are 24 hours old."""
    return delete_abandoned_import_files()
