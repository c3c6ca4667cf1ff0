"""Reads on invoices, with the permissions applied where the rows are fetched."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404

from cordee.core import permissions
from cordee.invoicing.models import Invoice
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


def invoices_for(user: Any, *, status: str = "", direction: str = "") -> QuerySet[Invoice]:
    """The invoices this user may see, newest first, filtered by status and by direction (the ones
    to collect: issued by the user's side; to pay: addressed to it)."""
    queryset = Invoice.objects.select_related("issuer", "recipient")
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


def outstanding(user: Any, direction: str) -> Outstanding:
    """Issued invoices neither paid nor cancelled, on this user's side, in one direction."""
    row = (
        Invoice.objects.filter(kind=Invoice.Kind.INVOICE, status=Invoice.Status.ISSUED)
        .filter(direction_filter(user, direction))
        .aggregate(count=Count("pk"), total=Sum("total_incl_vat_cents"))
    )
    return Outstanding(count=row["count"], total_cents=row["total"] or 0)


def outstanding_everywhere() -> Outstanding:
    """Across the network: for the treasurer and the coordinator."""
    row = Invoice.objects.filter(kind=Invoice.Kind.INVOICE, status=Invoice.Status.ISSUED).aggregate(
        count=Count("pk"), total=Sum("total_incl_vat_cents")
    )
    return Outstanding(count=row["count"], total_cents=row["total"] or 0)


def direction_of(user: Any, invoice: Invoice) -> str:
    """TO_COLLECT, TO_PAY, or "" when the user is neither party (the hub's staff looking on)."""
    organisations, hub = acting_for(user)
    if (invoice.issuer_id in organisations) or (hub and invoice.issuer_id is None):
        return TO_COLLECT
    if (invoice.recipient_id in organisations) or (hub and invoice.recipient_id is None):
        return TO_PAY
    return ""


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
