from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.translation import gettext_lazy as _

from cordee.core import identifiers
from cordee.core.models import User
from cordee.core.tasks import send_email


class AccountForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return identifiers.clean_phone(value) if value else ""


class LowerCaseEmailLogin:
    """The e-mail compared as it is stored: in lower case.

    Lower-casing here, before `authenticate`, also makes django-axes count "Admin@…" and
    "admin@…" as the same account, so changing the case does not get round the lock-out.
    """

    cleaned_data: dict[str, Any]

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class LoginForm(LowerCaseEmailLogin, AuthenticationForm):
    pass


class AdminLoginForm(LowerCaseEmailLogin, AdminAuthenticationForm):
    pass


class EraseForm(forms.Form):
    """Erasure is final: the person acting confirms with their own password."""

    password = forms.CharField(label=_("Your password, to confirm"), widget=forms.PasswordInput)

    def __init__(self, actor: User, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.actor.check_password(password):
            raise ValidationError(_("This password is not right."), code="password")
        return password


class TaskPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the e-mail sent by the task framework instead of inline."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_email.enqueue(to=[to_email], subject=subject, body=body)
