"""Uploaded documents: only PDF, JPEG and PNG, recognised by their first bytes (a renamed
executable is refused whatever its name says), within the size limit, stored under MEDIA_ROOT
with a random name."""
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

# (magic bytes, content type, extension)
SIGNATURES = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
]


def max_bytes() -> int:
    return settings.UPLOAD_MAX_MB * 1024 * 1024


def detect_type(upload) -> tuple[str, str]:
    """(content type, extension) from the file's content, or a refusal in Norwegian."""
    if upload.size > max_bytes():
        raise ValidationError(
            f"Filen er for stor ({upload.size / 1024 / 1024:.1f} MB). Største tillatte størrelse er {settings.UPLOAD_MAX_MB} MB."
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    raise ValidationError("Filen er ikke en PDF, JPEG eller PNG (innholdet er sjekket, ikke filnavnet).")


def store(upload, extension: str, folder: str = "dokumenter") -> str:
    """Saves under MEDIA_ROOT/<folder>/ with a random name; returns the storage name."""
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}{extension}", upload)


def safe_filename(name: str) -> str:
    cleaned = "".join(char for char in name.rsplit("/", 1)[-1] if char.isalnum() or char in "._- ")
    return cleaned.strip()[:200] or "dokument"
