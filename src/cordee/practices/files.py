"""The files a practice sheet may carry, checked before anything is written.

A file is accepted when it is not empty, not larger than the limit, its name ends with one of the
allowed extensions (PDF, images, office documents), and its content, as `filetype` reads it from
its first bytes, is of that same type: a program renamed `.pdf`, or a plain zip renamed `.docx`,
is refused. Programs, scripts, web pages and SVG images (which can carry scripts) are refused
whatever their content.
"""

from __future__ import annotations

import os
from typing import Any

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from cordee.core.errors import DomainError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
HEAD_BYTES = 8192  # what filetype reads

# extension -> the content type its content must have
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
ALLOWED_NAMES = "PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, ODT, ODS, ODP"
# Human names of the types, for the sheet's page.
TYPE_NAMES = {content_type: extension.upper() for extension, content_type in ALLOWED_TYPES.items()}
TYPE_NAMES["image/jpeg"] = "JPEG"


def max_upload_bytes() -> int:
    return int(getattr(settings, "CORDEE_PRACTICE_MAX_UPLOAD", MAX_UPLOAD_BYTES))


def extension_of(name: str) -> str:
    return os.path.splitext(name or "")[1].lower().lstrip(".")


def _head(file: Any) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(position)
    return bytes(head)


def check_upload(file: Any) -> tuple[str, int]:
    """The content type and size of an uploaded file, or DomainError(field="file") naming the rule."""
    if file is None:
        raise DomainError(_("Choose a file to attach."), field="file", code="required")
    size = int(getattr(file, "size", 0) or 0)
    if size <= 0:
        raise DomainError(_("The file is empty."), field="file", code="empty")
    limit = max_upload_bytes()
    if size > limit:
        raise DomainError(
            _("The file is too large: %(size)s, at most %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(limit)},
            field="file",
            code="too_large",
        )
    extension = extension_of(getattr(file, "name", ""))
    expected = ALLOWED_TYPES.get(extension)
    if expected is None:
        raise DomainError(
            _("Files of this type are not accepted. Accepted types: %(types)s.") % {"types": ALLOWED_NAMES},
            field="file",
            code="type",
        )
    kind = filetype.guess(_head(file))
    if kind is None or kind.mime != expected:
        raise DomainError(
            _("The content of the file is not a %(type)s file, as its name says: it is refused.")
            % {"type": TYPE_NAMES[expected]},
            field="file",
            code="content_mismatch",
        )
    return expected, size
