"""The legal regimes under which a hub may lend, as parameters that the services enforce.

Lending is a banking operation reserved to credit institutions (Code monétaire et financier,
article L511-5); the hub works under one of the exceptions below, chosen in its settings, and
Cordée refuses any operation outside it, citing the rule. `docs/treasury.md` gives the sources.

- NONPROFIT: loans between non-profit legal persons with close ties (CMF L511-6 1° bis, as
  amended by law 2024-344 and its 2025 decree): lenders and borrowers are non-profit
  organisations within the meaning of CGI article 261-7-1°; the rate is capped (the coordinator
  sets the published TMO as the cap); the term is five years at most; what one lender commits in
  a year is at most half of its net available cash at the start of that year (declared, with its
  date); each agreement is approved by the lender's board and attested by its auditor or
  chartered accountant.
- FEDERATION: loans from a union or federation of associations to its member associations
  (CMF L511-6 1° ter, law 2021-875 of 1 July 2021): at zero rate, for less than two years. The
  hub lends from its own funds; members do not deposit under this regime.
- HUB_FUND: the hub lends its own funds (grants, donations set aside for the purpose) to the
  members of the social and solidarity economy; no deposits from members. The hub remains
  responsible for the legal basis of its lending (e.g. *prêts d'honneur*, CMF L511-6 5°).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cordee.network.models import Family
from cordee.treasury.models import Regime

NON_PROFIT_FAMILIES = frozenset({Family.ASSOCIATION, Family.FOUNDATION})
SSE_FAMILIES = frozenset(
    {Family.ASSOCIATION, Family.FOUNDATION, Family.MUTUAL, Family.COOPERATIVE, Family.ESUS_COMPANY}
)


@dataclass(frozen=True)
class Rules:
    regime: str
    citation: str
    depositor_families: frozenset[str]  # empty: members do not deposit
    borrower_families: frozenset[str]
    rate_capped_by_settings: bool  # the coordinator's cap (TMO) applies
    max_rate_bps: int | None  # a fixed legal maximum (0 for the federation regime)
    max_term_months: int
    lender_yearly_share_percent: int | None  # of the net available cash declared on 1 January
    requires_board_approval: bool
    requires_attestation: bool
    description: Promise

    @property
    def allows_deposits(self) -> bool:
        return bool(self.depositor_families)


RULES: dict[str, Rules] = {
    Regime.NONPROFIT: Rules(
        regime=Regime.NONPROFIT,
        citation="CMF L511-6 1° bis",
        depositor_families=NON_PROFIT_FAMILIES,
        borrower_families=NON_PROFIT_FAMILIES,
        rate_capped_by_settings=True,
        max_rate_bps=None,
        max_term_months=60,
        lender_yearly_share_percent=50,
        requires_board_approval=True,
        requires_attestation=True,
        description=_(
            "Loans between non-profit organisations (CGI 261-7-1°) with close ties: rate capped at the "
            "TMO, five years at most, each lender at most half of its net available cash a year, "
            "approved by its board and attested by its auditor or accountant."
        ),
    ),
    Regime.FEDERATION: Rules(
        regime=Regime.FEDERATION,
        citation="CMF L511-6 1° ter",
        depositor_families=frozenset(),
        borrower_families=frozenset({Family.ASSOCIATION}),
        rate_capped_by_settings=False,
        max_rate_bps=0,
        # "for less than two years": 23 whole months at most.
        max_term_months=23,
        lender_yearly_share_percent=None,
        requires_board_approval=False,
        requires_attestation=False,
        description=_(
            "Loans from the hub, as a union or federation of associations, to its member associations: "
            "zero rate, less than two years."
        ),
    ),
    Regime.HUB_FUND: Rules(
        regime=Regime.HUB_FUND,
        citation="CMF L511-6 5°",
        depositor_families=frozenset(),
        borrower_families=SSE_FAMILIES,
        rate_capped_by_settings=True,
        max_rate_bps=None,
        max_term_months=60,
        lender_yearly_share_percent=None,
        requires_board_approval=False,
        requires_attestation=False,
        description=_("The hub lends its own funds (grants, donations) to members of the social economy."),
    ),
}


def rules_for(regime: str) -> Rules:
    return RULES[regime]


def max_rate_bps(rules: Rules, cap_bps: int) -> int:
    """The highest rate the regime allows, given the coordinator's cap."""
    if rules.max_rate_bps is not None:
        return rules.max_rate_bps if not rules.rate_capped_by_settings else min(rules.max_rate_bps, cap_bps)
    return cap_bps if rules.rate_capped_by_settings else 10_000
