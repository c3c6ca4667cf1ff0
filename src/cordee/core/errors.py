"""Typed domain errors. Views turn them into a form error or a 4xx JSON body."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A refused operation, with a message a person can act on and, when it applies, the field."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_validation_error(self) -> ValidationError:
        if self.field:
            return ValidationError({self.field: [ValidationError(self.message, code=self.code)]})
        return ValidationError(self.message, code=self.code)


class NotAllowed(DomainError):
    """The actor may not do this (the permission module said no)."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or str(_("You are not allowed to do this.")), code="forbidden")
