"""French identifiers: the compact form is stored, and each refusal names the rule broken."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cordee.core import identifiers


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def refusal(clean, value: str) -> ValidationError:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        clean(value)
    return caught.value


@pytest.mark.parametrize(
    ("value", "compact"),
    [("732829320", "732829320"), ("732 829 320", "732829320"), (" 732.829.320 ", "732829320")],
)
def test_it_stores_a_siren_without_separators(value: str, compact: str) -> None:
    assert identifiers.clean_siren(value) == compact


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("73282932", "SIREN must have 9 digits."),
        ("7328293200", "SIREN must have 9 digits."),
        ("732829321", "SIREN is not valid: its check digit (Luhn key) is wrong."),
        ("73282932A", "SIREN must contain digits only."),
    ],
)
def test_it_refuses_a_bad_siren_naming_the_rule(value: str, message: str) -> None:
    error = refusal(identifiers.clean_siren, value)
    assert error.messages == [message]
    assert error.code == "siren"


def test_it_stores_a_siret_without_separators() -> None:
    assert identifiers.clean_siret("732 829 320 00074") == "73282932000074"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("7328293200007", "SIRET must have 14 digits."),
        ("73282932000075", "SIRET is not valid: its check digit (Luhn key) is wrong."),
        ("7328293200007X", "SIRET must contain digits only."),
    ],
)
def test_it_refuses_a_bad_siret_naming_the_rule(value: str, message: str) -> None:
    error = refusal(identifiers.clean_siret, value)
    assert error.messages == [message]
    assert error.code == "siret"


@pytest.mark.parametrize(("value", "compact"), [("W051002345", "W051002345"), ("w05 100 2345", "W051002345")])
def test_it_stores_an_rna_number_upper_case_without_spaces(value: str, compact: str) -> None:
    assert identifiers.clean_rna(value) == compact


@pytest.mark.parametrize("value", ["W05100234", "W0510023456", "051002345", "X051002345", "W05100234A"])
def test_it_refuses_an_rna_number_that_is_not_w_and_nine_digits(value: str) -> None:
    error = refusal(identifiers.clean_rna, value)
    assert error.messages == ["The RNA number must be the letter W followed by 9 digits (e.g. W051002345)."]


@pytest.mark.parametrize(("value", "compact"), [("9499z", "94.99Z"), ("94.99Z", "94.99Z"), (" 94 99 z ", "94.99Z")])
def test_it_writes_a_naf_code_the_insee_way(value: str, compact: str) -> None:
    assert identifiers.clean_naf(value) == compact


@pytest.mark.parametrize("value", ["949Z", "94999", "94.99ZZ", "A4.99Z"])
def test_it_refuses_a_naf_code_that_is_not_four_digits_and_a_letter(value: str) -> None:
    error = refusal(identifiers.clean_naf, value)
    assert error.messages == ["The NAF/APE code must be 4 digits and a letter, such as 94.99Z."]


@pytest.mark.parametrize("value", ["04 92 00 00 00", "+33 4 92 00 00 00", "04.92.00.00.00", "(0)4-92-00-00-00"])
def test_it_accepts_the_usual_ways_of_writing_a_phone_number(value: str) -> None:
    assert identifiers.clean_phone(f"  {value} ") == value


@pytest.mark.parametrize("value", ["04 92 ab 00 00", "12345", "call me"])
def test_it_refuses_a_phone_number_with_letters_or_too_few_digits(value: str) -> None:
    error = refusal(identifiers.clean_phone, value)
    assert error.messages == ["A phone number may contain only digits, spaces and + . - ( ), such as 04 92 00 00 00."]
