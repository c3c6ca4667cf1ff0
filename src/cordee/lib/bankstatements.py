"""Bank statements read into plain lines: the CSV exports of French banks and ISO 20022 CAMT.053.
No Django here: bytes in, `StatementLine`s out; `cordee.treasury.banking` decides what each line is.

CSV, as French banks export it: a `;` separator (a tab or a comma is accepted too), a decimal
comma, dates as DD/MM/YYYY, UTF-8 or Windows-1252 text, sometimes a few lines about the account
before the header. The header is found by its names, in any case and with or without accents:
a date, a label, and either one signed amount or a debit and a credit column; a reference and a
counterparty column are read when there is one.

CAMT.053 (bank-to-customer statement), versions 001.02 to 001.08. The PyPI parsers were weighed
and none kept: pycamt (one maintainer) returns untyped dicts of strings, needs lxml, and in a
version 02 file reads the first `Amt` under a transaction's details, which is the amount the payer
instructed (`AmtDtls/InstdAmt`), possibly in another currency, not the amount booked; the others
are younger and wider than this need. The few fields needed are read here with the standard
library: booking date, amount and `CdtDbtInd`, the remittance information (`Ustrd`, or the
creditor reference of `Strd`), the other party's name and the end-to-end id. A document type
declaration is refused before parsing: a statement never has one, and refusing it shuts out the
entity tricks (external entities, exponential expansion) that `xml.etree` alone does not all stop.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

CAMT053_VERSIONS = tuple(f"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{n:02d}" for n in range(2, 9))
HEADER_SEARCH_ROWS = 30  # account details some banks print above the header
CURRENCY = "EUR"


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One operation: credits (money in) positive, debits negative, in cents."""

    booked_on: dt.date
    amount_cents: int
    reference: str
    label: str
    counterparty: str
    end_to_end_id: str = ""


class StatementError(ValueError):
    """A file that cannot be read; `line` and `column` say where (for CAMT, the entry's number and
    the element). `code` lets a caller put the message in the reader's language."""

    def __init__(
        self, message: str, *, code: str, line: int | None = None, column: str | None = None, value: str = ""
    ) -> None:
        where = []
        if line is not None:
            where.append(f"line {line}")
        if column:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
        self.problem = message
        self.code = code
        self.line = line
        self.column = column
        self.value = value


# --- Values ----------------------------------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f']+")
_AMOUNT = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def parse_amount(text: str) -> int:
    """French amounts to cents: "1 234,56", "-12,5", "1.234,56 €", "+3,00"; a dot alone is a
    decimal point ("12.50") unless it groups thousands ("1.234"). Never through a float."""
    value = _SPACES.sub("", text).replace("€", "").removesuffix("EUR").removesuffix("eur")
    if "," in value and "." in value:
        decimal_mark = "," if value.rfind(",") > value.rfind(".") else "."
        value = value.replace("." if decimal_mark == "," else ",", "")
    elif value.count(".") > 1 or re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", value):
        value = value.replace(".", "")
    value = value.replace(",", ".")
    if value.endswith("-") and value[:-1] and value[0] not in "+-":  # "12,50-": some banks' debits
        value = "-" + value[:-1]
    if not _AMOUNT.match(value):
        raise ValueError(text)
    cents = Decimal(value).scaleb(2)
    if cents != cents.to_integral_value():
        raise ValueError(text)
    return int(cents)


def parse_date(text: str) -> dt.date:
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def normalise(name: str) -> str:
    """Lower case, no accents, words separated by one space: "Libellé de l'opération" gives
    "libelle de l operation"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


# --- CSV -------------------------------------------------------------------------------------------

# Column names as banks print them, normalised; units ("eur", "en euros") are dropped first.
_ALIASES: dict[str, tuple[str, ...]] = {
    "date": (
        "date",
        "date operation",
        "date d operation",
        "date de l operation",
        "date comptable",
        "date de comptabilisation",
        "date de comptabilisation de l operation",
        "booking date",
        "date valeur",
        "date de valeur",
        "value date",
    ),
    "label": (
        "libelle",
        "label",
        "libelle operation",
        "libelle de l operation",
        "libelle simplifie",
        "intitule",
        "description",
        "detail",
        "details",
        "nature de l operation",
        "operation",
    ),
    "amount": ("montant", "amount", "montant de l operation", "somme"),
    "debit": ("debit", "debits"),
    "credit": ("credit", "credits"),
    "reference": ("reference", "references", "ref", "reference de l operation", "reference operation"),
    "counterparty": ("tiers", "contrepartie", "counterparty", "beneficiaire", "emetteur", "donneur d ordre", "payeur"),
}
_UNITS = {"eur", "euro", "euros", "en", "e"}


def _column_key(name: str) -> str:
    return " ".join(word for word in normalise(name).split() if word not in _UNITS)


def _find_columns(row: Sequence[str]) -> dict[str, int] | None:
    keys = [_column_key(cell) for cell in row]
    columns: dict[str, int] = {}
    for role, aliases in _ALIASES.items():
        # The first alias found wins: "date" before "date valeur" when a file has both.
        for alias in aliases:
            if alias in keys:
                columns[role] = keys.index(alias)
                break
    has_amount = "amount" in columns or ("debit" in columns and "credit" in columns)
    return columns if "date" in columns and "label" in columns and has_amount else None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    for line in text.splitlines()[:HEADER_SEARCH_ROWS]:
        counts = {sep: line.count(sep) for sep in (";", "\t", ",")}
        best = max(counts, key=lambda sep: counts[sep])
        if counts[best] >= 2:
            return best
    return ";"


def parse_csv(data: bytes) -> list[StatementLine]:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    columns: dict[str, int] | None = None
    lines: list[StatementLine] = []
    header: list[str] = []
    try:
        for row in reader:
            if columns is None:
                if reader.line_num > HEADER_SEARCH_ROWS:
                    break
                columns = _find_columns(row)
                header = row
                continue
            if not any(cell.strip() for cell in row):
                continue
            lines.append(_csv_line(row, columns, header, reader.line_num))
    except csv.Error as exc:
        raise StatementError(str(exc), code="csv", line=reader.line_num) from exc
    if columns is None:
        raise StatementError(
            "no header found: the file needs a date, a label and an amount (or a debit and a credit) column",
            code="no_header",
        )
    return lines


def _csv_line(row: Sequence[str], columns: dict[str, int], header: Sequence[str], number: int) -> StatementLine:
    def cell(role: str) -> str:
        index = columns.get(role)
        return row[index].strip() if index is not None and index < len(row) else ""

    def name(role: str) -> str:
        return header[columns[role]].strip()

    try:
        booked_on = parse_date(cell("date"))
    except ValueError:
        raise StatementError(
            "not a date (DD/MM/YYYY expected)", code="date", line=number, column=name("date"), value=cell("date")
        ) from None
    if "amount" in columns:
        amount = _csv_amount(cell("amount"), number, name("amount"), required=True)
    else:
        debit = _csv_amount(cell("debit"), number, name("debit"))
        credit = _csv_amount(cell("credit"), number, name("credit"))
        if debit and credit:
            raise StatementError(
                "both a debit and a credit on one line", code="debit_and_credit", line=number, column=name("credit")
            )
        if not debit and not credit and not (cell("debit") or cell("credit")):
            raise StatementError("no amount", code="no_amount", line=number, column=name("debit"))
        amount = abs(credit) - abs(debit)
    return StatementLine(
        booked_on=booked_on,
        amount_cents=amount,
        reference=cell("reference"),
        label=" ".join(cell("label").split()),
        counterparty=cell("counterparty"),
    )


def _csv_amount(text: str, number: int, column: str, *, required: bool = False) -> int:
    if not text and not required:
        return 0
    if not text:
        raise StatementError("no amount", code="no_amount", line=number, column=column)
    try:
        return parse_amount(text)
    except ValueError:
        raise StatementError(
            "not an amount (1 234,56 expected)", code="amount", line=number, column=column, value=text
        ) from None


# --- CAMT.053 --------------------------------------------------------------------------------------


def parse_camt053(data: bytes) -> list[StatementLine]:
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise StatementError("a document type declaration is not allowed in a statement", code="doctype")
    try:
        root = ET.fromstring(data)  # noqa: S314 - no DOCTYPE, so no entity: see the module's docstring
    except ET.ParseError as exc:
        raise StatementError(f"not well-formed XML ({exc})", code="xml") from exc
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    if namespace not in CAMT053_VERSIONS:
        raise StatementError(
            f"not a CAMT.053 statement (versions 001.02 to 001.08), namespace {namespace or 'none'}",
            code="not_camt053",
            value=namespace,
        )
    return list(_Camt(namespace).lines(root))


class _Camt:
    def __init__(self, namespace: str) -> None:
        self.ns = {"c": namespace}

    def find(self, element: ET.Element, path: str) -> ET.Element | None:
        return element.find(self._qualified(path), self.ns)

    def findall(self, element: ET.Element, path: str) -> list[ET.Element]:
        return element.findall(self._qualified(path), self.ns)

    def text(self, element: ET.Element, *paths: str) -> str:
        """The text of the first path found, stripped ("" if none)."""
        for path in paths:
            found = self.find(element, path)
            if found is not None and found.text and found.text.strip():
                return " ".join(found.text.split())
        return ""

    @staticmethod
    def _qualified(path: str) -> str:
        return "/".join(
            part if part in (".", "..", "") or part.startswith("c:") else f"c:{part}" for part in path.split("/")
        )

    def lines(self, root: ET.Element) -> Iterable[StatementLine]:
        number = 0
        for statement in self.findall(root, "BkToCstmrStmt/Stmt"):
            for entry in self.findall(statement, "Ntry"):
                number += 1
                yield from self._entry(entry, number)

    def _entry(self, entry: ET.Element, number: int) -> list[StatementLine]:
        # Versions 02 to 07: <Sts>BOOK</Sts>; version 08: <Sts><Cd>BOOK</Cd></Sts>. A statement
        # reports booked entries; a pending or information entry is not money received yet.
        status = self.text(entry, "Sts/Cd", "Sts")
        if status and status != "BOOK":
            return []
        amount = self._amount(entry, "Amt", number)
        sign = self._sign(entry, number)
        booked_on = self._date(entry, number)
        details = self.findall(entry, "NtryDtls/TxDtls")
        entry_label = self.text(entry, "AddtlNtryInf")
        if len(details) <= 1:
            return [self._line(details[0] if details else None, booked_on, sign * amount, entry_label)]
        # A batch booked as one entry (a direct-debit collection, several transfers): one line per
        # transaction when each says its amount and they add up to the entry, else the entry whole.
        lines = []
        for detail in details:
            detail_amount = self._detail_amount(detail, number)
            if detail_amount is None:
                return [self._line(None, booked_on, sign * amount, entry_label)]
            detail_sign = self._sign(detail, number) if self.find(detail, "CdtDbtInd") is not None else sign
            lines.append(self._line(detail, booked_on, detail_sign * detail_amount, entry_label))
        if sum(line.amount_cents for line in lines) != sign * amount:
            return [self._line(None, booked_on, sign * amount, entry_label)]
        return lines

    def _line(self, detail: ET.Element | None, booked_on: dt.date, amount: int, entry_label: str) -> StatementLine:
        if detail is None:
            return StatementLine(
                booked_on=booked_on, amount_cents=amount, reference="", label=entry_label, counterparty=""
            )
        unstructured = " ".join(
            " ".join(node.text.split())
            for node in self.findall(detail, "RmtInf/Ustrd")
            if node.text and node.text.strip()
        )
        structured = self.text(detail, "RmtInf/Strd/CdtrRefInf/Ref")
        additional = self.text(detail, "RmtInf/Strd/AddtlRmtInf", "AddtlTxInf")
        end_to_end_id = self.text(detail, "Refs/EndToEndId")
        if end_to_end_id.upper() == "NOTPROVIDED":
            end_to_end_id = ""
        # Money in: the other party is the debtor; money out: the creditor. Version 08 wraps the
        # party in <Pty>.
        parties = ("Dbtr", "UltmtDbtr") if amount > 0 else ("Cdtr", "UltmtCdtr")
        counterparty = self.text(
            detail, *(f"RltdPties/{party}/{suffix}" for party in parties for suffix in ("Pty/Nm", "Nm"))
        )
        return StatementLine(
            booked_on=booked_on,
            amount_cents=amount,
            reference=structured or end_to_end_id,
            label=unstructured or additional or entry_label,
            counterparty=counterparty,
            end_to_end_id=end_to_end_id,
        )

    def _amount(self, element: ET.Element, path: str, number: int) -> int:
        node = self.find(element, path)
        if node is None or not (node.text or "").strip():
            raise StatementError("no amount", code="no_amount", line=number, column=path)
        currency = node.get("Ccy", "")
        if currency != CURRENCY:
            raise StatementError(
                f"an amount in {currency or 'no currency'}: the pool's account is in euros",
                code="currency",
                line=number,
                column=path,
                value=currency,
            )
        text = (node.text or "").strip()
        try:
            cents = Decimal(text).scaleb(2)
        except InvalidOperation:
            cents = Decimal("NaN")
        if not cents.is_finite() or cents != cents.to_integral_value() or cents < 0:
            raise StatementError("not an amount", code="amount", line=number, column=path, value=text)
        return int(cents)

    def _detail_amount(self, detail: ET.Element, number: int) -> int | None:
        # Version 02 has no <Amt> of its own under <TxDtls>: the booked side is <AmtDtls/TxAmt>.
        for path in ("Amt", "AmtDtls/TxAmt/Amt"):
            if self.find(detail, path) is not None:
                return self._amount(detail, path, number)
        return None

    def _sign(self, element: ET.Element, number: int) -> int:
        indicator = self.text(element, "CdtDbtInd")
        if indicator not in ("CRDT", "DBIT"):
            raise StatementError(
                "CRDT or DBIT expected", code="credit_debit", line=number, column="CdtDbtInd", value=indicator
            )
        return 1 if indicator == "CRDT" else -1

    def _date(self, entry: ET.Element, number: int) -> dt.date:
        text = self.text(entry, "BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt", "ValDt/DtTm")
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            raise StatementError("no booking date", code="date", line=number, column="BookgDt", value=text) from None
