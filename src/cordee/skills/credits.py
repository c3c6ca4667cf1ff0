"""How time credits reach the ledger: the HOURS ledger, in minutes, with each organisation's floor
and ceiling held by the ledger itself.

An account of the ledger carries one limit flag at most, so a floor and a ceiling take two accounts
per organisation, plus one control account of the hub (TigerBeetle's way of putting a balance
between two bounds):

| account | owner | limit | holds |
|---|---|---|---|
| CT<id> "Crédits temps — <name>" | the organisation | debits ≤ credits | balance - floor |
| CTP<id> "Plafond crédits temps — <name>" | the organisation | credits ≤ debits | ceiling - balance |
| CTLIMITS | the hub | | the other side of every bound |

<id> is the organisation's id on six digits; the floor is zero or negative (-20 h: a debt of 20 hours
at most), the ceiling zero or positive. On opening, CTLIMITS credits CT<id> with -floor and
CTP<id> is debited by the ceiling (CTLIMITS credited). An exchange of m minutes done, the receiving
organisation paying the giving one, is one linked chain (all or nothing):

1. debit CT<receiver>, credit CT<giver>, m: the ledger refuses it (EXCEEDS_CREDITS) when the
   receiver would fall below its floor;
2. debit CTLIMITS, credit CTP<giver>, m: refused (EXCEEDS_DEBITS) when the giver would rise above
   its ceiling;
3. debit CTP<receiver>, credit CTLIMITS, m: the receiver's room below its ceiling grows.

So an organisation's balance is what CT<id> holds plus its floor, and equally its ceiling minus what
CTP<id> holds; the bounds in force are those of its `CreditLimit` row, written with the transfers
that posted them. Changing a bound posts the difference (a correction is a new transfer, never an
edit): widening always passes, narrowing is refused by the ledger itself when the balance already
breaks the new bound, and checked before with a clear message. An organisation is opened on first
use (its first exchange done or its first limit set) with the hub's defaults (`CreditSettings`) or
the bounds the coordinator gives; before that its balance is 0 and the defaults apply.

Each transfer's id is derived from what caused it (uuid5 of "<cause>:<pk>:<leg>"): the exchange,
the organisation's opening, or the audit event of a limit change, so a retried service finds its
transfers already posted instead of posting twice.

Locks, always in this order: the exchange row, then `CreditSettings` (pk 1) when the defaults are
changed or read to open or reset an organisation, then the `CreditLimit` rows in ascending
organisation id, then (inside posting) the accounts in ascending id.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cordee.core.errors import DomainError
from cordee.ledger.codes import Result
from cordee.ledger.models import Account, Entry
from cordee.ledger.posting import TransferSpec, transfers_create_nested
from cordee.ledger.services import account_open
from cordee.network.models import Organisation
from cordee.skills.models import CreditLimit, CreditSettings

LEDGER = "HOURS"
JOURNAL = "CT"
CONTROL = "CTLIMITS"
NAMESPACE = uuid.UUID("5e0c8a2d-71b4-4f0e-9a3c-6d2b8f1e4c07")
MAX_BOUND_MINUTES = 10_000 * 60  # a bound beyond 10,000 hours is a typing error
CODE_OPEN = "credits.open"
CODE_LIMIT = "credits.limit"
CODE_EXCHANGE = "skills.exchange"


def transfer_id(cause: str, pk: int | str, leg: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{cause}:{pk}:{leg}")


def format_hours(minutes: int) -> str:
    """Exact figures for messages: -1200 -> "-20 h", 1170 -> "19 h 30", 1 -> "0 h 01"."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours} h" if not rest else f"{sign}{hours} h {rest:02d}"


# --- Accounts ------------------------------------------------------------------------------


def control_account() -> Account:
    return account_open(ledger=LEDGER, number=CONTROL, label="Contrepartie des bornes de crédits temps")


def credit_account(organisation: Organisation) -> Account:
    return account_open(
        ledger=LEDGER,
        number=f"CT{organisation.pk:06d}",
        label=f"Crédits temps — {organisation.name}"[:120],
        owner=organisation,
        debits_must_not_exceed_credits=True,
    )


def ceiling_account(organisation: Organisation) -> Account:
    return account_open(
        ledger=LEDGER,
        number=f"CTP{organisation.pk:06d}",
        label=f"Plafond crédits temps — {organisation.name}"[:120],
        owner=organisation,
        credits_must_not_exceed_debits=True,
    )


@dataclass(frozen=True)
class Move:
    id: uuid.UUID
    debit: Account
    credit: Account
    amount: int
    code: str
    label: str
    reference: str


def _post(moves: Sequence[Move], *, value_date: dt.date | None = None) -> list[Result]:
    """The moves as one linked chain, in the caller's transaction; moves of 0 are left out."""
    moves = [move for move in moves if move.amount]
    specs = [
        TransferSpec(
            id=move.id,
            ledger=LEDGER,
            amount=move.amount,
            debit_account_id=move.debit.pk,
            credit_account_id=move.credit.pk,
            linked=index < len(moves) - 1,
            code=move.code,
            label=move.label[:200],
            reference=move.reference,
            journal=JOURNAL,
            value_date=value_date or timezone.localdate(),
        )
        for index, move in enumerate(moves)
    ]
    return transfers_create_nested(specs) if specs else []


def _refused(results: list[Result]) -> list[Result]:
    return [result for result in results if not result.succeeded and result != Result.LINKED_EVENT_FAILED]


# --- Bounds and balances -------------------------------------------------------------------


@dataclass(frozen=True)
class Bounds:
    floor_minutes: int
    ceiling_minutes: int
    custom: bool = False


@dataclass(frozen=True)
class Position:
    """An organisation's time credits: its balance and the bounds in force."""

    organisation: Organisation
    balance_minutes: int
    floor_minutes: int
    ceiling_minutes: int
    custom: bool
    opened: bool

    @property
    def can_receive_minutes(self) -> int:
        """How much more it may receive from others (down to its floor)."""
        return self.balance_minutes - self.floor_minutes

    @property
    def can_give_minutes(self) -> int:
        """How much more it may give to others (up to its ceiling)."""
        return self.ceiling_minutes - self.balance_minutes


def check_bounds(floor_minutes: object, ceiling_minutes: object) -> tuple[int, int]:
    """A floor at or below zero, a ceiling at or above zero, both whole minutes within reason."""
    for value, field in ((floor_minutes, "floor_minutes"), (ceiling_minutes, "ceiling_minutes")):
        if isinstance(value, bool) or not isinstance(value, int):
            raise DomainError(_("Give a whole number of minutes."), field=field, code="bound_not_integer")
        if abs(value) > MAX_BOUND_MINUTES:
            raise DomainError(
                _("A bound is at most %(max)s away from zero.") % {"max": format_hours(MAX_BOUND_MINUTES)},
                field=field,
                code="bound_too_far",
            )
    assert isinstance(floor_minutes, int) and isinstance(ceiling_minutes, int)
    if floor_minutes > 0:
        raise DomainError(
            _("The floor is a debt an organisation may run: zero or below."), field="floor_minutes", code="floor_sign"
        )
    if ceiling_minutes < 0:
        raise DomainError(
            _("The ceiling is what an organisation may hold: zero or above."),
            field="ceiling_minutes",
            code="ceiling_sign",
        )
    return floor_minutes, ceiling_minutes


def _balance(limit: CreditLimit, account: Account | None) -> int:
    if account is None:
        return 0
    return account.credits_posted - account.debits_posted + limit.floor_minutes


def _credit_accounts(organisation_ids: Iterable[int]) -> dict[int, Account]:
    numbers = [f"CT{pk:06d}" for pk in organisation_ids]
    rows = Account.objects.filter(ledger__code=LEDGER, number__in=numbers)
    return {account.owner_id: account for account in rows if account.owner_id is not None}


def positions(organisations: Sequence[Organisation]) -> list[Position]:
    """The time credits of several organisations in three queries (no write: an organisation never
    used shows a balance of 0 and the hub's defaults)."""
    ids = [organisation.pk for organisation in organisations]
    limits = {limit.organisation_id: limit for limit in CreditLimit.objects.filter(organisation_id__in=ids)}
    accounts = _credit_accounts(limits)
    defaults = CreditSettings.current()
    rows = []
    for organisation in organisations:
        limit = limits.get(organisation.pk)
        if limit is None:
            rows.append(
                Position(organisation, 0, defaults.floor_minutes, defaults.ceiling_minutes, custom=False, opened=False)
            )
        else:
            rows.append(
                Position(
                    organisation,
                    _balance(limit, accounts.get(organisation.pk)),
                    limit.floor_minutes,
                    limit.ceiling_minutes,
                    custom=limit.custom,
                    opened=True,
                )
            )
    return rows


def position_of(organisation: Organisation) -> Position:
    return positions([organisation])[0]


def balance_of(organisation: Organisation) -> int:
    """The organisation's time credits in minutes: positive, it gave more than it received."""
    return position_of(organisation).balance_minutes


@dataclass(frozen=True)
class StatementLine:
    entry: Entry
    value_date: dt.date
    label: str
    reference: str
    minutes: int  # received (+) or given (-) credits
    balance_after: int


def statement_of(organisation: Organisation) -> list[StatementLine]:
    """The organisation's exchanges in time credits, oldest first, with its balance after each.

    Read from the entries of CT<id> alone: an opening or a change of floor moves the account by the
    change of |floor|, an exchange by the credits given or received; so the balance after each
    entry is recomputed from the ledger, whatever the bounds were then."""
    account = _credit_accounts([organisation.pk]).get(organisation.pk)
    if account is None:
        return []
    lines = []
    held_for_floor = 0
    entries = Entry.objects.filter(account=account).select_related("transfer").order_by("sequence")
    for entry in entries:
        movement = entry.credit - entry.debit
        if entry.transfer.code in (CODE_OPEN, CODE_LIMIT):
            held_for_floor += movement
            continue
        lines.append(
            StatementLine(
                entry=entry,
                value_date=entry.transfer.value_date,
                label=entry.transfer.label,
                reference=entry.transfer.reference,
                minutes=movement,
                balance_after=-entry.balance_after - held_for_floor,
            )
        )
    return lines


# --- Opening and changing bounds -----------------------------------------------------------


def locked_limits(organisations: Sequence[Organisation]) -> dict[int, CreditLimit]:
    """Lock the organisations' `CreditLimit` rows (ascending ids), opening those never used with the
    hub's defaults. Call inside a transaction."""
    ids = sorted({organisation.pk for organisation in organisations})
    by_id = {organisation.pk: organisation for organisation in organisations}
    opened = set(CreditLimit.objects.filter(organisation_id__in=ids).values_list("organisation_id", flat=True))
    if opened != set(ids):
        # Opening reads the defaults: lock them first, as a change of the defaults does.
        CreditSettings.current()
        CreditSettings.objects.select_for_update().get(pk=1)
    limits = {
        limit.organisation_id: limit
        for limit in CreditLimit.objects.select_for_update().filter(organisation_id__in=ids).order_by("pk")
    }
    missing = [pk for pk in ids if pk not in limits]
    if missing:
        defaults = CreditSettings.current()
        for pk in missing:
            limits[pk] = open_credits(by_id[pk], Bounds(defaults.floor_minutes, defaults.ceiling_minutes))
    return limits


def open_credits(organisation: Organisation, bounds: Bounds) -> CreditLimit:
    """Open the organisation's two accounts and post its bounds; returns its locked limit row. If
    another transaction opened it meanwhile, its row is returned (locked) instead."""
    try:
        with transaction.atomic():
            limit = CreditLimit.objects.create(
                organisation=organisation,
                floor_minutes=bounds.floor_minutes,
                ceiling_minutes=bounds.ceiling_minutes,
                custom=bounds.custom,
            )
    except IntegrityError:
        return CreditLimit.objects.select_for_update().get(organisation=organisation)
    control = control_account()
    reference = f"creditlimit:{organisation.pk}"
    results = _post(
        [
            Move(
                transfer_id("open", organisation.pk, "floor"),
                control,
                credit_account(organisation),
                -bounds.floor_minutes,
                CODE_OPEN,
                f"Ouverture des crédits temps — plancher — {organisation.name}",
                reference,
            ),
            Move(
                transfer_id("open", organisation.pk, "ceiling"),
                ceiling_account(organisation),
                control,
                bounds.ceiling_minutes,
                CODE_OPEN,
                f"Ouverture des crédits temps — plafond — {organisation.name}",
                reference,
            ),
        ]
    )
    if _refused(results):  # pragma: no cover - fresh accounts take any bound
        raise DomainError(
            _("The ledger refused to open the time credits of %(name)s (%(result)s).")
            % {"name": organisation.name, "result": _refused(results)[0].value}
        )
    return limit


def _breaks(organisation: Organisation, balance: int, floor_minutes: int, ceiling_minutes: int) -> DomainError | None:
    if balance < floor_minutes:
        return DomainError(
            _(
                "%(name)s already holds %(balance)s of time credits: its floor cannot be set to %(floor)s, above "
                "its balance."
            )
            % {"name": organisation.name, "balance": format_hours(balance), "floor": format_hours(floor_minutes)},
            field="floor_minutes",
            code="floor_below_balance",
        )
    if balance > ceiling_minutes:
        return DomainError(
            _(
                "%(name)s already holds %(balance)s of time credits: its ceiling cannot be set to %(ceiling)s, "
                "below its balance."
            )
            % {"name": organisation.name, "balance": format_hours(balance), "ceiling": format_hours(ceiling_minutes)},
            field="ceiling_minutes",
            code="ceiling_below_balance",
        )
    return None


def change_bounds(organisation: Organisation, limit: CreditLimit, bounds: Bounds, *, cause: str) -> CreditLimit:
    """Post the difference between the bounds in force (the locked `limit`) and `bounds`, and record
    them. `cause` names what asked for it (e.g. "audit:<pk>"), for the transfers' ids."""
    balance = _balance(limit, _credit_accounts([organisation.pk]).get(organisation.pk))
    error = _breaks(organisation, balance, bounds.floor_minutes, bounds.ceiling_minutes)
    if error is not None:
        raise error
    control = control_account()
    floor_change = limit.floor_minutes - bounds.floor_minutes  # more room below: CT is credited
    ceiling_change = bounds.ceiling_minutes - limit.ceiling_minutes  # more room above: CTP is debited
    reference = f"creditlimit:{organisation.pk}"
    moves = []
    if floor_change:
        ct = credit_account(organisation)
        moves.append(
            Move(
                transfer_id(cause, organisation.pk, "floor"),
                control if floor_change > 0 else ct,
                ct if floor_change > 0 else control,
                abs(floor_change),
                CODE_LIMIT,
                f"Plancher de crédits temps porté à {format_hours(bounds.floor_minutes)} — {organisation.name}",
                reference,
            )
        )
    if ceiling_change:
        ctp = ceiling_account(organisation)
        moves.append(
            Move(
                transfer_id(cause, organisation.pk, "ceiling"),
                ctp if ceiling_change > 0 else control,
                control if ceiling_change > 0 else ctp,
                abs(ceiling_change),
                CODE_LIMIT,
                f"Plafond de crédits temps porté à {format_hours(bounds.ceiling_minutes)} — {organisation.name}",
                reference,
            )
        )
    refused = _refused(_post(moves))
    if refused:  # the check above said yes, but the ledger holds the last word
        raise DomainError(
            _("The ledger refused the new bounds of %(name)s (%(result)s); nothing has been recorded.")
            % {"name": organisation.name, "result": refused[0].value},
            code="ledger_refused",
        )
    limit.floor_minutes = bounds.floor_minutes
    limit.ceiling_minutes = bounds.ceiling_minutes
    limit.custom = bounds.custom
    limit.save(update_fields=["floor_minutes", "ceiling_minutes", "custom"])
    return limit


# --- Exchanges -----------------------------------------------------------------------------


def floor_refusal(receiver: Organisation, balance: int, floor_minutes: int, minutes: int) -> DomainError:
    return DomainError(
        _(
            "%(name)s would go below its floor of time credits: it holds %(balance)s, the floor is %(floor)s, "
            "so it can receive %(room)s at most, not %(minutes)s."
        )
        % {
            "name": receiver.name,
            "balance": format_hours(balance),
            "floor": format_hours(floor_minutes),
            "room": format_hours(max(balance - floor_minutes, 0)),
            "minutes": format_hours(minutes),
        },
        field="minutes",
        code="receiver_floor",
    )


def ceiling_refusal(giver: Organisation, balance: int, ceiling_minutes: int, minutes: int) -> DomainError:
    return DomainError(
        _(
            "%(name)s would go above its ceiling of time credits: it holds %(balance)s, the ceiling is "
            "%(ceiling)s, so it can earn %(room)s at most, not %(minutes)s."
        )
        % {
            "name": giver.name,
            "balance": format_hours(balance),
            "ceiling": format_hours(ceiling_minutes),
            "room": format_hours(max(ceiling_minutes - balance, 0)),
            "minutes": format_hours(minutes),
        },
        field="minutes",
        code="giver_ceiling",
    )


def check_room(*, giver: Organisation, receiver: Organisation, minutes: int) -> None:
    """Refuse early, and clearly, what the ledger would refuse: the receiver's floor, then the
    giver's ceiling (read without locks: the posting decides in the end)."""
    receiving, giving = positions([receiver, giver])
    if receiving.balance_minutes - minutes < receiving.floor_minutes:
        raise floor_refusal(receiver, receiving.balance_minutes, receiving.floor_minutes, minutes)
    if giving.balance_minutes + minutes > giving.ceiling_minutes:
        raise ceiling_refusal(giver, giving.balance_minutes, giving.ceiling_minutes, minutes)


def post_exchange(
    *, pk: int, giver: Organisation, receiver: Organisation, minutes: int, value_date: dt.date, label: str
) -> uuid.UUID:
    """Move `minutes` of credits from the receiver to the giver as one linked chain, in the caller's
    transaction; returns the id of the chain's first transfer. Refused (DomainError naming the
    bound and the figures) if the receiver's floor or the giver's ceiling would be broken."""
    limits = locked_limits([giver, receiver])
    control = control_account()
    reference = f"exchange:{pk}"
    first = transfer_id("exchange", pk, "credits")
    results = _post(
        [
            Move(first, credit_account(receiver), credit_account(giver), minutes, CODE_EXCHANGE, label, reference),
            Move(
                transfer_id("exchange", pk, "giver-ceiling"),
                control,
                ceiling_account(giver),
                minutes,
                CODE_EXCHANGE,
                label,
                reference,
            ),
            Move(
                transfer_id("exchange", pk, "receiver-ceiling"),
                ceiling_account(receiver),
                control,
                minutes,
                CODE_EXCHANGE,
                label,
                reference,
            ),
        ],
        value_date=value_date,
    )
    refused = _refused(results)
    if not refused:
        return first
    accounts = _credit_accounts([giver.pk, receiver.pk])
    if results[0] == Result.EXCEEDS_CREDITS:
        limit = limits[receiver.pk]
        raise floor_refusal(receiver, _balance(limit, accounts.get(receiver.pk)), limit.floor_minutes, minutes)
    if results[1] == Result.EXCEEDS_DEBITS:
        limit = limits[giver.pk]
        raise ceiling_refusal(giver, _balance(limit, accounts.get(giver.pk)), limit.ceiling_minutes, minutes)
    raise DomainError(
        _("The ledger refused the time credits of this exchange (%(result)s); nothing has been recorded.")
        % {"result": refused[0].value},
        code="ledger_refused",
    )
