"""The legal mentions a French invoice carries, in French: the law fixes their substance and the
invoice is a French document, so they are printed as written here, whatever the reader's language.

- Code de commerce, article L441-9: an invoice states the due date, the conditions of discount for
  early payment, the rate of the late-payment penalties and the fixed indemnity for recovery costs.
- Article L441-10 II: without another rate agreed, the penalty rate is the European Central Bank's
  rate on its most recent refinancing operation, plus 10 points; and a professional debtor in
  arrears owes the fixed indemnity for recovery costs, of 40 euros (article D441-5).
- CGI annex II, article 242 nonies A: number, date, parties' names and addresses, SIREN, each
  line's quantity, unit price excluding VAT and rate, totals per rate, and for a line without VAT
  the provision that exempts it (see `models.Exemption`).

Every party of an internal invoice is an organisation acting for its activity (a member of the
hub, or the hub): a professional in the sense of article L441-10, so the penalties and the
indemnity are always printed.
"""

from __future__ import annotations

PAYMENT_TERMS = "Paiement au plus tard le {due_date}. Pas d'escompte pour paiement anticipé."
LATE_PAYMENT_PENALTIES = (
    "Tout retard de paiement entraîne des pénalités au taux d'intérêt appliqué par la Banque centrale "
    "européenne à son opération de refinancement la plus récente, majoré de 10 points de pourcentage "
    "(art. L441-10 du Code de commerce)."
)
RECOVERY_INDEMNITY = (
    "Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement : 40 € "
    "(art. L441-10 et D441-5 du Code de commerce)."
)
CREDIT_NOTE_CANCELS = "Avoir annulant la facture n° {number} du {issue_date}."
DRAFT_MARK = "BROUILLON / draft"
