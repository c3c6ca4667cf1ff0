"""The form under a sheet: a comment, a question to the authors, or "we tried it too"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cordee.core import permissions
from cordee.network.models import Organisation
from cordee.practices.models import Comment
from cordee.practices.services.comments import MAX_TEXT


class CommentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to say?"),
        choices=Comment.Kind.choices,
        initial=Comment.Kind.COMMENT,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Your text"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text, at most 2000 characters. For “we tried it too”: how it went for you, in a few lines."),
    )
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Required for “we tried it too”: one testimony per organisation."),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations
        first = organisations.first()
        if first is not None:
            field.initial = first.pk


def commenting_organisations(user: Any) -> QuerySet[Organisation]:
    """The organisations a person may speak for under a sheet: their own."""
    return Organisation.objects.filter(pk__in=list(permissions.actor_for(user).organisations)).order_by("name")
