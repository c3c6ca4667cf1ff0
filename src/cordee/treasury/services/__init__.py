"""Every write of the treasury. Views, the API, commands and the other apps call these."""

from cordee.treasury.services.advances import (
    advance_cancel,
    advance_decide,
    advance_disburse,
    advance_request,
    advance_reschedule,
    advance_withdraw_approval,
    advance_write_off,
    advances_expire,
    charge_add,
)
from cordee.treasury.services.deposits import (
    cash_declaration_set,
    deposit_cancel,
    deposit_confirm,
    deposit_propose,
    pool_fund,
    withdrawal_pay,
    withdrawal_refuse,
    withdrawal_request,
)
from cordee.treasury.services.repayments import provisions_update, reminders_send, repayment_record
from cordee.treasury.services.settings import treasury_settings_update

__all__ = [
    "advance_cancel",
    "advance_decide",
    "advance_disburse",
    "advance_request",
    "advance_reschedule",
    "advance_withdraw_approval",
    "advance_write_off",
    "advances_expire",
    "cash_declaration_set",
    "charge_add",
    "deposit_cancel",
    "deposit_confirm",
    "deposit_propose",
    "pool_fund",
    "provisions_update",
    "reminders_send",
    "repayment_record",
    "treasury_settings_update",
    "withdrawal_pay",
    "withdrawal_refuse",
    "withdrawal_request",
]
