"""Every permission decision of Cordée, in one place.

Views, the API and the admin ask this module; none of them decides on its own. A person's roles
are read once per request into an `Actor`: the hub roles (coordinator, treasurer, committee
member) and, per organisation, whether the person is a member user or a member admin. Powers
that come from an organisation hold only while its membership is active or suspended (a
candidate's contact person has none yet, a departed member's people have none any more).

Visibility of an organisation's data is decided per block of fields (see
`cordee.network.models.VISIBILITY_BLOCKS`): its own people and the coordinator see every block,
people of other active members see the blocks made visible to members, visitors see the public
ones, and only of organisations whose membership is active.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from cordee.core.models import User
    from cordee.network.models import Organisation

COORDINATOR = "coordinator"
TREASURER = "treasurer"
COMMITTEE = "committee"
MEMBER_ADMIN = "admin"
MEMBER_USER = "member"

_SEEING_STATUSES = ("active", "suspended")
_ACTOR_CACHE = "_cordee_actor"


class _UserLike(Protocol):
    is_authenticated: bool


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    is_superuser: bool = False
    hub_roles: frozenset[str] = frozenset()
    # organisation id -> "admin" or "member", only for organisations whose membership grants powers
    organisations: dict[int, str] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_coordinator(self) -> bool:
        return self.is_superuser or COORDINATOR in self.hub_roles

    @property
    def is_member(self) -> bool:
        """A person of at least one member organisation (active or suspended)."""
        return bool(self.organisations)

    def admin_of(self, organisation_id: int) -> bool:
        return self.organisations.get(organisation_id) == MEMBER_ADMIN

    def belongs_to(self, organisation_id: int) -> bool:
        return organisation_id in self.organisations


ANONYMOUS = Actor(user_id=None)


def actor_for(user: Any) -> Actor:
    """The roles of a user, read once and kept on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, _ACTOR_CACHE, None)
    if cached is not None:
        return cached
    roles = frozenset(user.hub_roles.values_list("role", flat=True))
    organisations = dict(
        user.affiliations.filter(organisation__membership__status__in=_SEEING_STATUSES).values_list(
            "organisation_id", "role"
        )
    )
    actor = Actor(user_id=user.pk, is_superuser=user.is_superuser, hub_roles=roles, organisations=organisations)
    setattr(user, _ACTOR_CACHE, actor)
    return actor


def forget_actor(user: Any) -> None:
    """Drop the cached roles after a service changed them."""
    if hasattr(user, _ACTOR_CACHE):
        delattr(user, _ACTOR_CACHE)


# --- Hub-wide powers --------------------------------------------------------------------


def can_manage_network(user: Any) -> bool:
    """Memberships, applications, imports, people of any organisation: the coordinator."""
    return actor_for(user).is_coordinator


def can_use_admin(user: Any) -> bool:
    return actor_for(user).is_coordinator


def can_see_member_directory(user: Any) -> bool:
    """Whether blocks shown "to members of the hub" are visible to this user."""
    actor = actor_for(user)
    return actor.is_member or bool(actor.hub_roles) or actor.is_superuser


# --- Organisations ----------------------------------------------------------------------


def is_listed_status(status: str) -> bool:
    return status == "active"


def visible_blocks(user: Any, organisation: Organisation) -> frozenset[str]:
    """The blocks of an organisation's fields this user may see (empty: not even its name)."""
    from cordee.network.models import VISIBILITY_BLOCKS

    actor = actor_for(user)
    if actor.is_coordinator or actor.belongs_to(organisation.pk):
        return frozenset(VISIBILITY_BLOCKS)
    if not is_listed_status(organisation.membership.status):
        return frozenset()
    allowed = {"public", "members"} if can_see_member_directory(user) else {"public"}
    if organisation.visibility_of("listing") not in allowed:
        return frozenset()
    return frozenset(block for block in VISIBILITY_BLOCKS if organisation.visibility_of(block) in allowed)


def listing_levels(user: Any) -> tuple[str, ...] | None:
    """Listing visibilities the directory shows this user; None means every organisation."""
    if actor_for(user).is_coordinator:
        return None
    return ("public", "members") if can_see_member_directory(user) else ("public",)


def can_edit_organisation(user: Any, organisation: Organisation) -> bool:
    actor = actor_for(user)
    return actor.is_coordinator or actor.admin_of(organisation.pk)


def can_see_people_of(user: Any, organisation: Organisation) -> bool:
    actor = actor_for(user)
    return actor.is_coordinator or actor.belongs_to(organisation.pk)


def can_manage_people_of(user: Any, organisation: Organisation) -> bool:
    return can_edit_organisation(user, organisation)


def can_see_private_organisation(user: Any, organisation: Organisation) -> bool:
    """Membership, fees, people: what only the organisation itself and the hub's staff see."""
    return can_see_people_of(user, organisation)


# --- People -----------------------------------------------------------------------------


def can_export_person(user: Any, person: User) -> bool:
    """GDPR access right: the person, or the coordinator on the person's behalf."""
    actor = actor_for(user)
    return actor.is_authenticated and (actor.user_id == person.pk or actor.is_coordinator)


def can_erase_person(user: Any, person: User) -> bool:
    return can_export_person(user, person)


# --- The ledger -------------------------------------------------------------------------


def can_view_ledger(user: Any) -> bool:
    """The journal and every account: the hub's treasurer and coordinator."""
    actor = actor_for(user)
    return actor.is_coordinator or TREASURER in actor.hub_roles


def can_post_transfers(user: Any) -> bool:
    """Writing to the books by hand or through the API: the treasurer only."""
    actor = actor_for(user)
    return actor.is_superuser or TREASURER in actor.hub_roles


def can_export_accounting(user: Any) -> bool:
    """FEC and hledger files: the treasurer only."""
    return can_post_transfers(user)


def can_view_account(user: Any, owner_id: int | None) -> bool:
    """An account of the hub: the treasurer and coordinator; an account of a member organisation:
    also that organisation's member admins (a member never sees another member's finances)."""
    if can_view_ledger(user):
        return True
    return owner_id is not None and actor_for(user).admin_of(owner_id)


def account_owner_scope(user: Any) -> set[int] | None:
    """Owners whose accounts this user may list; None means every account."""
    if can_view_ledger(user):
        return None
    actor = actor_for(user)
    return {pk for pk, role in actor.organisations.items() if role == MEMBER_ADMIN}


def can_list_accounts(user: Any) -> bool:
    """The accounts page: the hub's books, or a member admin's own organisation's accounts."""
    return can_view_ledger(user) or bool(account_owner_scope(user))


# --- Pooled premises ---------------------------------------------------------------------
# A resource's owner is a member organisation, or the hub (owner None, managed by the coordinator).


def can_browse_resources(user: Any) -> bool:
    """The catalogue of shared resources, availability and calendars: people of member
    organisations and the hub's roles."""
    actor = actor_for(user)
    return actor.is_member or bool(actor.hub_roles) or actor.is_superuser


def can_book_for(user: Any, organisation_id: int | None) -> bool:
    """Book in the name of an organisation: its own people; in the hub's name, the coordinator."""
    actor = actor_for(user)
    if organisation_id is None:
        return actor.is_coordinator
    return actor.belongs_to(organisation_id) or actor.is_coordinator


def can_manage_resource(user: Any, owner_id: int | None) -> bool:
    """Describe a resource, set its rules and prices, decide on its booking requests: the owner's
    member admins; the coordinator for the hub's resources (and any, to help a member)."""
    actor = actor_for(user)
    if actor.is_coordinator:
        return True
    return owner_id is not None and actor.admin_of(owner_id)


def can_see_booking(user: Any, owner_id: int | None, organisation_id: int | None) -> bool:
    """Who booked, for what: the booking organisation's people and whoever manages the resource.
    Others see only that the slot is taken."""
    if can_manage_resource(user, owner_id):
        return True
    return organisation_id is not None and actor_for(user).belongs_to(organisation_id)


def can_cancel_booking(user: Any, owner_id: int | None, organisation_id: int | None) -> bool:
    return can_see_booking(user, owner_id, organisation_id)


def can_invoice_bookings(user: Any) -> bool:
    """Turning a month's completed bookings into invoices: the treasurer and the coordinator."""
    actor = actor_for(user)
    return actor.is_coordinator or TREASURER in actor.hub_roles


def usage_owner_scope(user: Any) -> set[int | None] | None:
    """Owners whose resources' usage this user may see (None in the set: the hub's resources);
    None means every resource. Empty: none."""
    actor = actor_for(user)
    if actor.is_coordinator or actor.hub_roles:
        return None
    return {pk for pk, role in actor.organisations.items() if role == MEMBER_ADMIN}


# --- Internal invoicing
# An invoice is seen by the people (member users and admins) of its issuer and, once issued, of its
# recipient: a draft is the issuer's business until it is sent. The treasurer and the coordinator
# see every invoice. Anyone else is told it does not exist. The issuer's member admins draft, issue
# and cancel it by a credit note, and record its payment; so does the treasurer for any invoice.
# For the hub as issuer (a NULL organisation), the treasurer and the coordinator act.
# The recipient's member admins contest an invoice (a dispute); the issuer's member admins answer
# and close it, or the person who opened it withdraws it; the treasurer and the coordinator, the
# hub's mediators, may do both on any invoice.

if TYPE_CHECKING:
    from django.db.models import Q

    from cordee.invoicing.models import Dispute, Invoice


def _is_treasurer(actor: Actor) -> bool:
    return actor.is_superuser or TREASURER in actor.hub_roles


def can_see_all_invoices(user: Any) -> bool:
    """Every invoice of the network, and acting for the hub's own: the treasurer and the coordinator."""
    return can_view_ledger(user)


def can_use_invoicing(user: Any) -> bool:
    """The invoices page: people of a member organisation, the treasurer and the coordinator."""
    return actor_for(user).is_member or can_see_all_invoices(user)


def invoice_filter(user: Any) -> Q | None:
    """The invoices this user may see, as a filter on `Invoice`; None means every invoice."""
    from django.db.models import Q

    if can_see_all_invoices(user):
        return None
    organisations = set(actor_for(user).organisations)
    return Q(issuer_id__in=organisations) | (Q(recipient_id__in=organisations) & ~Q(status="draft"))


def can_see_invoice(user: Any, invoice: Invoice) -> bool:
    if can_see_all_invoices(user):
        return True
    actor = actor_for(user)
    if invoice.issuer_id is not None and actor.belongs_to(invoice.issuer_id):
        return True
    return invoice.status != "draft" and invoice.recipient_id is not None and actor.belongs_to(invoice.recipient_id)


def invoice_issuer_scope(user: Any) -> tuple[set[int], bool]:
    """The organisations this user may draft invoices for, and whether the hub too."""
    actor = actor_for(user)
    organisations = {pk for pk, role in actor.organisations.items() if role == MEMBER_ADMIN}
    return organisations, can_see_all_invoices(user)


def can_draft_invoices(user: Any) -> bool:
    organisations, hub = invoice_issuer_scope(user)
    return hub or bool(organisations)


def can_draft_invoice_for(user: Any, issuer_id: int | None) -> bool:
    """Draft, edit a draft, issue, cancel by a credit note: the issuer's member admins (the hub's
    treasurer and coordinator for the hub)."""
    organisations, hub = invoice_issuer_scope(user)
    return hub if issuer_id is None else issuer_id in organisations


def can_manage_invoice(user: Any, invoice: Invoice) -> bool:
    return can_draft_invoice_for(user, invoice.issuer_id)


def can_record_invoice_payment(user: Any, invoice: Invoice) -> bool:
    """The payment is recorded by who received it (the issuer's member admins) or by the treasurer."""
    actor = actor_for(user)
    if _is_treasurer(actor):
        return True
    return invoice.issuer_id is not None and actor.admin_of(invoice.issuer_id)


def can_dispute_invoice(user: Any, invoice: Invoice) -> bool:
    """Contest an invoice: the recipient's member admins; the treasurer and the coordinator for the
    hub, and for any invoice as the hub's mediators (a member may ask them to)."""
    if can_see_all_invoices(user):
        return True
    return invoice.recipient_id is not None and actor_for(user).admin_of(invoice.recipient_id)


def can_close_dispute(user: Any, dispute: Dispute) -> bool:
    """Answer and close a dispute: the issuer's member admins, the treasurer and the coordinator;
    or withdraw it: whoever opened it."""
    if can_see_all_invoices(user):
        return True
    actor = actor_for(user)
    if actor.user_id is not None and dispute.opened_by_id == actor.user_id:
        return True
    issuer_id = dispute.invoice.issuer_id
    return issuer_id is not None and actor.admin_of(issuer_id)


# --- Governance
# Bodies and their members are managed by the coordinator. A decision is seen by the members of its
# body, the coordinator and the treasurer; a member votes while the decision is open, unless the
# organisation they sit for is concerned by it (recusal).

if TYPE_CHECKING:
    from cordee.governance.models import Body, Decision
    from cordee.treasury.models import Advance


def can_manage_bodies(user: Any) -> bool:
    return actor_for(user).is_coordinator


def sits_on(user: Any, body_id: int, *, on: Any = None) -> bool:
    """Whether the person holds a seat on the body today (or on the date given)."""
    from django.db.models import Q
    from django.utils import timezone

    if not actor_for(user).is_authenticated:
        return False
    day = on or timezone.localdate()
    return user.body_seats.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day), body_id=body_id, starts_on__lte=day
    ).exists()


def can_see_body(user: Any, body: Body) -> bool:
    """A board or committee: its members, the coordinator, the treasurer. The general assembly:
    also the people of every member organisation."""
    actor = actor_for(user)
    if actor.is_coordinator or TREASURER in actor.hub_roles:
        return True
    if body.kind == "assembly" and actor.is_member:
        return True
    return sits_on(user, body.pk)


def can_see_decision(user: Any, decision: Decision) -> bool:
    return can_see_body(user, decision.body)


def can_close_decision(user: Any, decision: Decision) -> bool:
    """Closing counts the votes and freezes the outcome: the coordinator."""
    return actor_for(user).is_coordinator


def can_use_governance(user: Any) -> bool:
    """The governance pages: the coordinator, the treasurer, anyone holding a seat, and the people
    of member organisations (the general assembly is theirs)."""
    actor = actor_for(user)
    if actor.is_coordinator or TREASURER in actor.hub_roles or actor.is_member:
        return True
    return actor.is_authenticated and user.body_seats.exists()


def can_see_register(user: Any) -> bool:
    """The register of decisions: every closed decision of the bodies the person may see."""
    return can_use_governance(user)


def represents(user: Any, organisation_id: int) -> bool:
    """Whether the person casts the general assembly vote of a member organisation: one of its
    member admins (référents). Whether the membership is active is the assembly's business
    (services.assembly_members)."""
    return actor_for(user).admin_of(organisation_id)


# --- Solidarity treasury
# A member organisation's deposits, advances, cash-flow plans and statements are seen and handled
# by its member admins only (a member user does not see the organisation's finances). The treasurer
# and the coordinator see the pool; the treasurer alone moves money (confirms deposits, disburses,
# records repayments, imports bank files, provisions, writes off). The members of the credit
# committee see the requests put to them.


def can_see_pool(user: Any) -> bool:
    """The pool's dashboard, every deposit and advance: the treasurer and the coordinator."""
    return can_view_ledger(user)


def can_keep_treasury(user: Any) -> bool:
    """Every money movement of the pool, bank and SEPA files: the treasurer."""
    return _is_treasurer(actor_for(user))


def can_set_treasury(user: Any) -> bool:
    """The regime, caps and reserves: the coordinator and the treasurer."""
    return can_view_ledger(user)


def treasury_organisations(user: Any) -> set[int]:
    """The organisations whose treasury this user handles as a member admin."""
    return {pk for pk, role in actor_for(user).organisations.items() if role == MEMBER_ADMIN}


def can_act_for_treasury_of(user: Any, organisation_id: int) -> bool:
    """Propose a deposit, request an advance, keep a cash-flow plan: the organisation's member admins."""
    return actor_for(user).admin_of(organisation_id)


def can_see_treasury_of(user: Any, organisation_id: int) -> bool:
    return can_see_pool(user) or can_act_for_treasury_of(user, organisation_id)


def can_use_treasury(user: Any) -> bool:
    """The treasury pages: member admins, the treasurer, the coordinator, committee members."""
    actor = actor_for(user)
    return (
        can_see_pool(user)
        or bool(treasury_organisations(user))
        or COMMITTEE in actor.hub_roles
        or (actor.is_authenticated and user.body_seats.exists())
    )


def can_act_for_some_treasury(user: Any) -> bool:
    """Propose a deposit, request an advance: a member admin, for one of its organisations."""
    return bool(treasury_organisations(user))


def can_list_deposits(user: Any) -> bool:
    """The deposits pages: the pool's keepers, and member admins (their organisations' only)."""
    return can_see_pool(user) or can_act_for_some_treasury(user)


def can_give_up_advance(user: Any, advance: Advance) -> bool:
    """Give up an approved advance before it is paid: the applicant's member admins, the treasurer."""
    return can_act_for_treasury_of(user, advance.organisation_id) or can_keep_treasury(user)


def can_use_cash_plans(user: Any) -> bool:
    """The cash-flow plans pages: member admins (their organisations' plans), the treasurer, the coordinator."""
    return can_see_pool(user) or bool(treasury_organisations(user))


def can_start_cash_plans(user: Any) -> bool:
    """Create or import a cash-flow plan: a member admin, for one of its organisations."""
    return bool(treasury_organisations(user))


def can_see_advance(user: Any, advance: Advance) -> bool:
    """The applicant's member admins, the pool's keepers, and the members of the committee the
    request was put to."""
    if can_see_treasury_of(user, advance.organisation_id):
        return True
    return advance.decision is not None and sits_on(user, advance.decision.body_id)


# --- Shared staff
# The coordinator manages the shared employees (contracts, allocation plans, expenses) and, with
# the treasurer, re-invoices their months. An employee logs its own time (the coordinator may do it
# for them). Each member admin validates or disputes the time logged for its organisation. The
# salary, contributions and running costs are the employer's: the coordinator, the treasurer and
# the employer's member admins see them; a member sharing the employee sees its own hours, its
# share of the cost and its invoices, never the salary.

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cordee.skills.models import Exchange, Listing
    from cordee.staffing.models import Employee


def can_manage_staff(user: Any) -> bool:
    """Create shared employees, set their allocation plans and expenses: the coordinator."""
    return actor_for(user).is_coordinator


def can_invoice_staff(user: Any) -> bool:
    """Turn a month's validated hours into invoices: the coordinator and the treasurer."""
    return can_invoice_bookings(user)


def staff_scope(user: Any) -> set[int] | None:
    """The organisations whose shared-staff hours this user may see; None: every organisation."""
    if can_view_ledger(user):
        return None
    return set(actor_for(user).organisations)


def can_use_staffing(user: Any) -> bool:
    """The shared-staff pages: people of member organisations, employees, the coordinator and the treasurer."""
    actor = actor_for(user)
    if actor.is_member or can_view_ledger(user):
        return True
    return actor.is_authenticated and user.employments.exists()


def can_see_employee(user: Any, employee: Employee, sharing: Iterable[int]) -> bool:
    """An employee's page: the hub's keepers, the employee, the people of its employer and of the
    organisations it works for (`sharing`: their ids)."""
    actor = actor_for(user)
    if can_view_ledger(user) or (actor.is_authenticated and employee.person_id == actor.user_id):
        return True
    if employee.employer_id is not None and actor.belongs_to(employee.employer_id):
        return True
    return any(actor.belongs_to(pk) for pk in sharing)


def can_see_staff_costs(user: Any, employee: Employee) -> bool:
    """Salary, contributions and running costs: the hub's keepers and the employer's member admins."""
    if can_view_ledger(user):
        return True
    return employee.employer_id is not None and actor_for(user).admin_of(employee.employer_id)


def can_log_time_of(user: Any, employee: Employee) -> bool:
    """Fill and submit an employee's timesheets: the employee, or the coordinator for them."""
    actor = actor_for(user)
    return (actor.is_authenticated and employee.person_id == actor.user_id) or actor.is_coordinator


def can_validate_time_for(user: Any, organisation_id: int) -> bool:
    """Validate or dispute the hours logged for an organisation: its member admins."""
    return actor_for(user).admin_of(organisation_id)


# --- Skills exchange
# Offers and needs are shown to the people of member organisations (and the hub's roles), never to
# visitors. Anyone of an organisation posts and proposes in its name; committing it to pay euros
# (accepting or confirming an exchange it receives at a price) is for its member admins. An
# exchange is seen by the people of its two organisations and the coordinator; time-credit balances
# by the organisation's people, the coordinator and the treasurer.


def can_use_skills(user: Any) -> bool:
    actor = actor_for(user)
    return actor.is_member or bool(actor.hub_roles) or actor.is_superuser


def can_post_listing_for(user: Any, organisation_id: int) -> bool:
    return actor_for(user).belongs_to(organisation_id)


def can_edit_listing(user: Any, listing: Listing) -> bool:
    """Change or close a listing: its organisation's people; the coordinator, to moderate."""
    actor = actor_for(user)
    return actor.belongs_to(listing.organisation_id) or actor.is_coordinator


def can_see_exchange(user: Any, exchange: Exchange) -> bool:
    actor = actor_for(user)
    return actor.belongs_to(exchange.giver_id) or actor.belongs_to(exchange.receiver_id) or actor.is_coordinator


def can_act_in_exchange_for(user: Any, exchange: Exchange, organisation_id: int) -> bool:
    """Accept, confirm, cancel or review an exchange for one of its two sides: the people of that
    side; its member admins when that side receives the exchange at a price in euros."""
    if organisation_id not in (exchange.giver_id, exchange.receiver_id):
        return False
    actor = actor_for(user)
    if exchange.terms == "euros" and organisation_id == exchange.receiver_id:
        return actor.admin_of(organisation_id)
    return actor.belongs_to(organisation_id)


def can_set_time_credits(user: Any) -> bool:
    """The default and per-organisation floors and ceilings of time credits: the coordinator."""
    return actor_for(user).is_coordinator


def can_see_time_credits_of(user: Any, organisation_id: int) -> bool:
    return can_view_ledger(user) or actor_for(user).belongs_to(organisation_id)


def exchange_scope(user: Any) -> set[int] | None:
    """The organisations whose exchanges this user sees; None: every exchange (the coordinator)."""
    actor = actor_for(user)
    return None if actor.is_coordinator else set(actor.organisations)


def can_see_cooperation_figures(user: Any, giver_id: int, receiver_id: int) -> bool:
    """The hours, euros and date of a pair's exchanges: its two organisations' people and the hub's
    keepers; anyone else sees only that they cooperated."""
    actor = actor_for(user)
    return can_view_ledger(user) or actor.belongs_to(giver_id) or actor.belongs_to(receiver_id)


# --- Multilateral clearing
# The coordinator computes and executes clearing runs; the treasurer reads them. A member's people
# see their own organisation's consent, positions and statements, never another member's; a member
# admin signs or withdraws the set-off agreement for its organisation (the coordinator may record a
# signature made on paper). The hub's own position is the coordinator's and the treasurer's.


def can_run_clearing(user: Any) -> bool:
    return actor_for(user).is_coordinator


def can_see_clearing_runs(user: Any) -> bool:
    """Every run with every party's position: the coordinator and the treasurer."""
    return can_see_all_invoices(user)


def can_use_clearing(user: Any) -> bool:
    """The clearing pages: people of a member organisation, the treasurer and the coordinator."""
    return actor_for(user).is_member or can_see_clearing_runs(user)


def can_see_clearing_of(user: Any, organisation_id: int | None) -> bool:
    """A party's positions and statements (None: the hub)."""
    if can_see_clearing_runs(user):
        return True
    return organisation_id is not None and actor_for(user).belongs_to(organisation_id)


def can_sign_setoff_for(user: Any, organisation_id: int) -> bool:
    actor = actor_for(user)
    return actor.is_coordinator or actor.admin_of(organisation_id)


def clearing_scope(user: Any) -> set[int] | None:
    """The organisations whose clearing this user sees; None: every one, the hub included."""
    if can_see_clearing_runs(user):
        return None
    return set(actor_for(user).organisations)


# --- Good practices
# A published sheet is seen by everyone when public, by the people of member organisations and the
# hub's roles when for members only. A draft or a sheet in review is seen by its authors (the people
# of the organisations that did it, and the person who wrote it) and the coordinator, who reviews and
# publishes. The people of member organisations write sheets for their organisations, and comment,
# ask questions and testify on the published ones.

if TYPE_CHECKING:
    from cordee.practices.models import Practice


def can_write_practices(user: Any) -> bool:
    return actor_for(user).is_member


def can_review_practices(user: Any) -> bool:
    return actor_for(user).is_coordinator


def is_practice_author(user: Any, practice: Practice, organisation_ids: Any = None) -> bool:
    """The person who wrote it, or a person of one of its organisations (ids passed to spare a query)."""
    actor = actor_for(user)
    if not actor.is_authenticated:
        return False
    if practice.author_id == actor.user_id:
        return True
    ids = organisation_ids if organisation_ids is not None else practice.organisations.values_list("pk", flat=True)
    return any(actor.belongs_to(pk) for pk in ids)


def can_see_practice(user: Any, practice: Practice) -> bool:
    if practice.state == "published":
        return practice.visibility == "public" or can_see_member_directory(user)
    return can_review_practices(user) or is_practice_author(user, practice)


def can_edit_practice(user: Any, practice: Practice) -> bool:
    return can_review_practices(user) or is_practice_author(user, practice)


def can_write_practice_for(user: Any, organisation_id: int) -> bool:
    """Name an organisation among those that did a practice (the coordinator: any)."""
    return can_review_practices(user) or actor_for(user).belongs_to(organisation_id)


def can_testify_for(user: Any, organisation_id: int) -> bool:
    """Say "we tried it too" on behalf of an organisation: its own people only."""
    return actor_for(user).belongs_to(organisation_id)


def can_comment_practice(user: Any, practice: Practice) -> bool:
    return practice.state == "published" and (actor_for(user).is_member or can_review_practices(user))


def can_delete_practice_comment(user: Any, comment: Any) -> bool:
    """Its author, or the coordinator to moderate."""
    actor = actor_for(user)
    return actor.is_authenticated and (comment.author_id == actor.user_id or actor.is_coordinator)


# --- Calls for projects
# A published call is public (it is an announcement). The people of a member organisation draft and
# submit its applications (any role: volunteers write them); the people of a partner organisation
# read them. Once submitted, an application is also read by the coordinator, who checks its
# eligibility, and by the members of the call's committee, who score it, except those sitting for
# (or belonging to) an organisation that carries it: they are recused. The coordinator sets calls up
# and puts the decisions to the committee.

if TYPE_CHECKING:
    from cordee.projects.models import Action, Application, Call


def can_manage_calls(user: Any) -> bool:
    return actor_for(user).is_coordinator


def can_see_call(user: Any, call: Call) -> bool:
    return call.state != "draft" or can_manage_calls(user)


def carries_application(user: Any, application: Application, partner_ids: Any = None) -> bool:
    """A person of the lead organisation or of a partner organisation (ids passed to spare a query)."""
    actor = actor_for(user)
    if not actor.is_authenticated:
        return False
    if actor.belongs_to(application.organisation_id):
        return True
    ids = (
        partner_ids
        if partner_ids is not None
        else application.partners.exclude(organisation=None).values_list("organisation_id", flat=True)
    )
    return any(actor.belongs_to(pk) for pk in ids)


def can_apply_for(user: Any, organisation_id: int) -> bool:
    """Draft an application in the name of an organisation: its own people."""
    return actor_for(user).belongs_to(organisation_id)


def can_edit_application(user: Any, application: Application) -> bool:
    """The lead organisation's people, while the application is a draft."""
    return application.status == "draft" and actor_for(user).belongs_to(application.organisation_id)


def can_review_applications(user: Any, call: Call) -> bool:
    """See the submitted applications of a call: the coordinator, the members of its committee."""
    return can_manage_calls(user) or sits_on(user, call.committee_id)


def can_see_application(user: Any, application: Application) -> bool:
    if carries_application(user, application):
        return True
    if application.status in ("draft", "withdrawn") and not application.submitted_at:
        return False
    return can_review_applications(user, application.call)


def can_check_eligibility(user: Any, application: Application) -> bool:
    return can_manage_calls(user)


def can_score(user: Any, application: Application) -> bool:
    """A member of the call's committee, on an eligible application no organisation of theirs
    carries (the services also refuse a seat held for such an organisation)."""
    if application.status != "eligible" or not sits_on(user, application.call.committee_id):
        return False
    return not carries_application(user, application)


# --- Funded actions
# The public page shows the funded actions marked public, their progress and place. Their money
# (agreement, tranches), reports and indicators are seen by the people of the lead organisation, the
# coordinator and the treasurer. The coordinator manages the agreement and milestones; the treasurer
# pays the tranches (the treasurer alone moves money); the lead organisation's people report progress,
# indicators and documents.


def can_follow_actions(user: Any) -> bool:
    """The list of funded actions to follow: the coordinator and the treasurer see every action, the
    people of member organisations their own."""
    return can_view_ledger(user) or actor_for(user).is_member


def can_keep_fund(user: Any) -> bool:
    """The fund for territorial actions (what it received and holds, a grant received): the
    coordinator, who runs the calls, and the treasurer, who pays from it."""
    return can_manage_calls(user) or can_disburse(user)


def can_see_action(user: Any, action: Action) -> bool:
    actor = actor_for(user)
    return actor.is_coordinator or TREASURER in actor.hub_roles or actor.belongs_to(action.application.organisation_id)


def can_manage_action(user: Any, action: Action) -> bool:
    return actor_for(user).is_coordinator


def can_disburse(user: Any) -> bool:
    return _is_treasurer(actor_for(user))


def can_report_on(user: Any, action: Action) -> bool:
    actor = actor_for(user)
    return action.status in ("agreement", "in_progress") and (
        actor.is_coordinator or actor.belongs_to(action.application.organisation_id)
    )


# --- Reporting
# The hub's dashboard and its activity report gather every member's figures: the coordinator and the
# treasurer. A member organisation's dashboard shows its own figures only, finances included, so it
# is for the organisation's member admins (and the hub's keepers). The coordinator writes the
# highlights, testimonies and pictures the report shows next to the figures. The open data (the
# public directory and the public funded actions) is everyone's.


def can_see_hub_dashboard(user: Any) -> bool:
    return can_view_ledger(user)


def can_see_dashboard_of(user: Any, organisation_id: int) -> bool:
    return can_view_ledger(user) or actor_for(user).admin_of(organisation_id)


def dashboard_organisations(user: Any) -> set[int]:
    """The organisations whose dashboard this user may open as a member admin."""
    return {pk for pk, role in actor_for(user).organisations.items() if role == MEMBER_ADMIN}


def can_open_some_dashboard(user: Any) -> bool:
    """The hub's dashboard, or the dashboard of an organisation the person is a member admin of."""
    return can_see_hub_dashboard(user) or bool(dashboard_organisations(user))


def can_write_highlights(user: Any) -> bool:
    return actor_for(user).is_coordinator
