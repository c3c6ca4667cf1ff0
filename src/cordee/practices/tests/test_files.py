from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cordee.core.errors import DomainError
from cordee.practices.files import ALLOWED_TYPES, check_upload
from cordee.practices.tests.matrix_sheets import PNG_BYTES

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 50 + b"This program cannot be run in DOS mode"
)


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def _refused(name: str, data: bytes) -> DomainError:
    with pytest.raises(DomainError) as caught:
        check_upload(_upload(name, data))
    assert caught.value.field == "file"
    return caught.value


def test_it_accepts_a_real_pdf_and_png() -> None:
    assert check_upload(_upload("rapport.PDF", PDF_BYTES)) == ("application/pdf", len(PDF_BYTES))
    assert check_upload(_upload("plan.png", PNG_BYTES)) == ("image/png", len(PNG_BYTES))


def test_it_accepts_a_docx_with_its_word_parts() -> None:
    data = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert check_upload(_upload("fiche.docx", data))[0] == ALLOWED_TYPES["docx"]


def test_it_refuses_an_executable_renamed_pdf() -> None:
    assert _refused("notice.pdf", PE_BYTES).code == "content_mismatch"


def test_it_refuses_a_plain_zip_renamed_docx() -> None:
    assert _refused("fiche.docx", _zip({"notes.txt": b"bonjour"})).code == "content_mismatch"


def test_it_refuses_a_png_named_pdf() -> None:
    assert _refused("image.pdf", PNG_BYTES).code == "content_mismatch"


@pytest.mark.parametrize("name", ["outil.exe", "script.bat", "install.sh", "app.js", "page.html", "logo.svg", "sans"])
def test_it_refuses_dangerous_or_unknown_extensions_whatever_the_content(name: str) -> None:
    assert _refused(name, PDF_BYTES).code == "type"


def test_it_refuses_an_empty_file() -> None:
    assert _refused("vide.pdf", b"").code == "empty"


def test_it_refuses_a_file_over_the_limit(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CORDEE_PRACTICE_MAX_UPLOAD = 100
    assert _refused("gros.pdf", PDF_BYTES + b"0" * 100).code == "too_large"


def test_it_refuses_no_file() -> None:
    with pytest.raises(DomainError) as caught:
        check_upload(None)
    assert caught.value.code == "required"
