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
