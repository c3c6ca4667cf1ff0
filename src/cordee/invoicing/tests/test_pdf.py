"""The PDF of an invoice: read back with pypdf, it carries the number, the amounts in French and
the mentions French law asks of an invoice."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from cordee.core.testing import Actors
from cordee.invoicing import services
from cordee.invoicing.mentions import LATE_PAYMENT_PENALTIES, RECOVERY_INDEMNITY
from cordee.invoicing.models import Invoice
from cordee.invoicing.pdf import render_invoice_pdf
from cordee.invoicing.tests.support import draft, issued, line, worked_example_lines


def pdf_text(invoice: Invoice) -> str:
    """The text of every page, with spaces made plain: babel writes "1 234,56 €" with a narrow
    no-break space between thousands and a no-break space before the euro sign."""
    reader = PdfReader(io.BytesIO(render_invoice_pdf(invoice)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"[ \u00a0\u202f]+", " ", text)


def flat(text: str) -> str:
    """Mentions wrap over lines: compare them with the line breaks made spaces."""
    return re.sub(r"\s+", " ", text)


def french(msgid: str) -> str:
    """A heading as the French PDF prints it (translated once the catalogue has it)."""
    with translation.override("fr"):
        return gettext(msgid)


def test_an_invoice_pdf_holds_what_a_french_invoice_must(actors: Actors) -> None:
    invoice = issued(actors, lines=worked_example_lines(), due_date=dt.date(2026, 4, 1), notes="Séminaire de mars")

    text = pdf_text(invoice)
    mentions = flat(text)

    assert "F-2026-00001" in text
    assert "02/03/2026" in text  # issue date
    assert "01/04/2026" in text  # due date
    for name in ("Les Jardins du Buëch", "Coopérative des Écrins"):
        assert name in text
    for identifier in (actors.org_a.siren, actors.org_a.siret, actors.org_b.siren, actors.org_b.siret):
        assert identifier in text
    assert "Séminaire de mars" in text
    # The lines: quantity, unit price, rate, total excluding VAT.
    assert "Animation d'atelier (heures)" in text
    assert re.search(r"3,5 23,47 € 20 % 82,15 €", text), text
    assert re.search(r"12 8,90 € 5,5 % 106,80 €", text), text
    assert re.search(r"1 1 000,00 € 0 % 1 000,00 €", text), text
    # The totals, in French format, to the cent.
    assert french("Total excl. VAT") in text
    assert "1 188,95 €" in text
    assert "16,43 €" in text and "5,87 €" in text
    assert "22,30 €" in text
    assert "1 211,25 €" in text
    # The mentions.
    assert "Exonération de TVA, art. 261-4-4° a du CGI" in mentions
    assert "Paiement au plus tard le 01/04/2026. Pas d'escompte pour paiement anticipé." in mentions
    assert LATE_PAYMENT_PENALTIES in mentions
    assert RECOVERY_INDEMNITY in mentions
    assert "40 €" in mentions
    assert "BROUILLON" not in text


def test_a_credit_note_pdf_names_the_invoice_it_cancels(actors: Actors) -> None:
    invoice = issued(actors, lines=[line("Salle", "2", 61728, 2000)])
    note = services.credit_note_create(
        actor=actors.member_admin_a, invoice=invoice, reason="Réservation annulée", issue_date=dt.date(2026, 3, 9)
    )

    text = flat(pdf_text(note))

    assert "AV-2026-00002" in text
    assert "Avoir annulant la facture n° F-2026-00001 du 02/03/2026." in text
    assert "Réservation annulée" in text
    assert "1 481,47 €" in text  # 2 × 617,28 € = 1 234,56 €, plus 20 % VAT = 246,91 €
    assert "1 234,56 €" in text


def test_a_draft_pdf_is_marked_and_has_no_number(actors: Actors) -> None:
    invoice = draft(actors, issuer="hub", recipient="a")

    text = pdf_text(invoice)

    assert "BROUILLON / draft" in text
    assert "F-20" not in text
    assert "Altitudes Coopérantes" in text
    assert "123456782" in text  # the hub's SIREN


def test_the_pdf_prints_the_parties_as_they_were_at_issue(actors: Actors) -> None:
    invoice = issued(actors)
    actors.org_b.name = "Coopérative renommée"
    actors.org_b.save(update_fields=["name"])

    text = pdf_text(Invoice.objects.get(pk=invoice.pk))

    assert "Coopérative des Écrins" in text
    assert "Coopérative renommée" not in text


def test_what_a_member_typed_cannot_make_the_pdf_fetch_anything(actors: Actors) -> None:
    invoice = draft(actors, lines=[line('<img src="file:///etc/passwd"> <link rel=stylesheet href="http://x/">')])

    text = pdf_text(invoice)

    assert '<img src="file:///etc/passwd">' in text  # printed as text, escaped, never loaded
