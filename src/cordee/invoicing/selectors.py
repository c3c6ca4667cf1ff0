"""Reads on invoices, with the permissions applied where the rows are fetched."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import BigIntegerField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from cordee.core import permissions
from cordee.invoicing.models import Dispute, Invoice, Settlement
from cordee.network.models import Membership, Organisation

TO_COLLECT = "to_collect"
TO_PAY = "to_pay"
DIRECTIONS = (TO_COLLECT, TO_PAY)


def _parties_filter(field: str, organisations: set[int], hub: bool) -> Q:
    """Invoices whose `field` (issuer or recipient) is one of these organisations, or the hub."""
    condition = Q(**{f"{field}_id__in": organisations})
    if hub:
        condition |= Q(**{f"{field}__isnull": True})
    return condition


def acting_for(user: Any) -> tuple[set[int], bool]:
    """Whose side this user takes on the invoices page: the organisations the person belongs to,
    and the hub for its treasurer and coordinator."""
    actor = permissions.actor_for(user)
    return set(actor.organisations), permissions.can_see_all_invoices(user)


def direction_filter(user: Any, direction: str) -> Q:
    organisations, hub = acting_for(user)
    return _parties_filter("issuer" if direction == TO_COLLECT else "recipient", organisations, hub)


def _settled_cents() -> Coalesce:
    """What set-offs settled of the invoice of the outer row, in one scalar subquery (a join would
    multiply the rows of other sums)."""
    settled = (
        Settlement.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount_cents"))
        .values("total")
    )
    return Coalesce(Subquery(settled, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField())


def with_amounts(queryset: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Each invoice with `settled_cents` (by set-offs), `open_amount_cents` (its total less that)
    and `disputed` (a dispute is open), computed by the database in the same query."""
    return queryset.annotate(
        settled_cents=_settled_cents(),
        open_amount_cents=F("total_incl_vat_cents") - _settled_cents(),
        disputed=Exists(Dispute.objects.filter(invoice=OuterRef("pk"), closed_at__isnull=True)),
    )


def invoices_for(user: Any, *, status: str = "", direction: str = "") -> QuerySet[Invoice]:
    """The invoices this user may see, newest first, filtered by status and by direction (the ones
    to collect: issued by the user's side; to pay: addressed to it); with their amounts settled and
    still open, and whether they are disputed (`with_amounts`)."""
    queryset = with_amounts(Invoice.objects.select_related("issuer", "recipient"))
    visible = permissions.invoice_filter(user)
    if visible is not None:
        queryset = queryset.filter(visible)
    if status:
        queryset = queryset.filter(status=status)
    if direction in DIRECTIONS:
        queryset = queryset.filter(direction_filter(user, direction))
    # Drafts first (they have no issue date yet), then the newest.
    return queryset.order_by(F("issue_date").desc(nulls_first=True), "-pk")


@dataclass(frozen=True)
class Outstanding:
    count: int
    total_cents: int


def _outstanding(invoices: QuerySet[Invoice]) -> Outstanding:
    """Issued invoices neither paid nor cancelled, and what is still open on them: their totals
    less what set-offs settled."""
    row = (
        invoices.filter(kind=Invoice.Kind.INVOICE, status=Invoice.Status.ISSUED)
        .annotate(open_amount_cents=F("total_incl_vat_cents") - _settled_cents())
        .aggregate(count=Count("pk"), total=Sum("open_amount_cents"))
    )
    return Outstanding(count=row["count"], total_cents=row["total"] or 0)


def outstanding(user: Any, direction: str) -> Outstanding:
    """What is still open on the issued invoices of this user's side, in one direction."""
    return _outstanding(Invoice.objects.filter(direction_filter(user, direction)))


def outstanding_everywhere() -> Outstanding:
    """Across the network: for the treasurer and the coordinator."""
    return _outstanding(Invoice.objects.all())


def direction_of(user: Any, invoice: Invoice) -> str:
    """TO_COLLECT, TO_PAY, or "" when the user is neither party (the hub's staff looking on)."""
    organisations, hub = acting_for(user)
    if (invoice.issuer_id in organisations) or (hub and invoice.issuer_id is None):
        return TO_COLLECT
    if (invoice.recipient_id in organisations) or (hub and invoice.recipient_id is None):
        return TO_PAY
    return ""


def settlements_of(invoice: Invoice) -> list[Settlement]:
    """The parts of the invoice settled by set-offs, oldest first."""
    return list(invoice.settlements.order_by("settled_on", "pk"))


def clearing_run_id(settlement: Settlement) -> int | None:
    """The clearing run that settled it, when its reference is "clearing:<pk>"."""
    prefix, _sep, pk = settlement.reference.partition(":")
    return int(pk) if prefix == "clearing" and pk.isdigit() else None


def disputes_of(invoice: Invoice) -> list[Dispute]:
    """The invoice's disputes, the newest first, with who opened and who closed each."""
    return list(invoice.disputes.select_related("opened_by", "closed_by").order_by("-opened_at", "-pk"))


def get_dispute_for_user(user: Any, pk: int) -> Dispute:
    """The dispute if this user may see its invoice; 404 otherwise."""
    dispute = Dispute.objects.select_related("opened_by", "closed_by").filter(pk=pk).first()
    if dispute is None:
        raise Http404
    dispute.invoice = get_invoice_for_user(user, dispute.invoice_id)
    return dispute


def get_invoice_for_user(user: Any, pk: int) -> Invoice:
    """The invoice if this user may see it; 404 otherwise (its existence is not revealed)."""
    invoice = (
        Invoice.objects.select_related(
            "issuer", "recipient", "issuer__commune", "recipient__commune", "cancels", "credit_note"
        )
        .filter(pk=pk)
        .first()
    )
    if invoice is None or not permissions.can_see_invoice(user, invoice):
        raise Http404
    return invoice


def recipient_choices(user: Any) -> QuerySet[Organisation]:
    """The organisations a user may address an invoice to: members of the hub whose listing the
    user sees (every member for the hub's staff), and the user's own organisations."""
    from cordee.network.selectors import directory_organisations

    members = Organisation.objects.filter(
        membership__status__in=[Membership.Status.ACTIVE, Membership.Status.SUSPENDED]
    ).select_related("commune")
    if not permissions.can_see_all_invoices(user):
        listed = directory_organisations(user).values("pk")
        own = set(permissions.actor_for(user).organisations)
        members = members.filter(Q(pk__in=listed) | Q(pk__in=own))
    return members.order_by("sort_name", "pk")


def issuer_choices(user: Any) -> tuple[QuerySet[Organisation], bool]:
    """The organisations the user may draft for, and whether the hub too."""
    organisations, hub = permissions.invoice_issuer_scope(user)
    return Organisation.objects.filter(pk__in=organisations).order_by("sort_name", "pk"), hub
