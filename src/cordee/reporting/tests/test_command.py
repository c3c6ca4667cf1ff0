"""`cordee report`: the activity report of a period written to a file, with clear refusals."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from cordee.reporting.tests.test_charts import use_sample_areas

pytestmark = pytest.mark.django_db


def run(*arguments: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("report", *arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_writes_the_pdf_report_and_shows_the_progress_of_the_sections(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = use_sample_areas(monkeypatch)
    output = tmp_path / "rapport.pdf"
    out, err = run("--from", "2026-01-01", "--to", "2026-06-30", "--format", "pdf", "--output", str(output))
    assert output.read_bytes().startswith(b"%PDF")
    assert asked == [None]
    assert "sections" in err and "1/1" in err and "sample" in err
    assert str(output) in out


def test_it_writes_the_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_sample_areas(monkeypatch)
    output = tmp_path / "rapport.xlsx"
    run("--from", "2026-01-01", "--to", "2026-06-30", "--format", "XLSX", "--output", str(output))
    book = openpyxl.load_workbook(output)
    assert book.sheetnames[:2] == ["Rapport", "Échantillon"]


@pytest.mark.parametrize(
    ("arguments", "option"),
    [
        (["--from", "2026-02-30", "--to", "2026-06-30", "--format", "pdf"], "--from"),
        (["--from", "2026-01-01", "--to", "30/06/2026", "--format", "pdf"], "--to"),
        (["--from", "2026-07-01", "--to", "2026-06-30", "--format", "pdf"], "--to"),
        (["--from", "2016-01-01", "--to", "2026-06-30", "--format", "pdf"], "--to"),
        (["--from", "2026-01-01", "--to", "2026-06-30", "--format", "docx"], "--format"),
    ],
)
def test_it_refuses_bad_input_naming_the_option_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arguments: list[str], option: str
) -> None:
    asked = use_sample_areas(monkeypatch)
    output = tmp_path / "rapport"
    with pytest.raises(CommandError) as refused:
        run(*arguments, "--output", str(output))
    assert str(refused.value).startswith(option)
    assert not output.exists() and asked == []


def test_it_refuses_an_output_in_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as refused:
        run("--from", "2026-01-01", "--to", "2026-06-30", "--format", "pdf", "--output", str(tmp_path / "no" / "r.pdf"))
    assert str(refused.value).startswith("--output")
