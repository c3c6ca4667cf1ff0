"""The Atom feed of the newly published public sheets, at /bonnes-pratiques/flux.atom.

A feed is read by programs that never log in: it shows what a visitor sees, whoever asks, and names
only the organisations the directory shows visitors."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from cordee.practices.models import Practice
from cordee.practices.selectors import shown_organisations

LATEST = 20


def public_organisation_names(practice: Practice) -> list[str]:
    return [organisation.name for organisation, shown in shown_organisations(AnonymousUser(), practice) if shown]


class LatestPracticesFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Good practices of %(hub)s") % {"hub": settings.HUB_NAME}

    def subtitle(self) -> str:
        return _("The good practices newly shared by the members of the hub.")

    def link(self) -> str:
        return reverse("practices:feed")

    def items(self) -> QuerySet[Practice]:
        return (
            Practice.objects.filter(state=Practice.State.PUBLISHED, visibility=Practice.Visibility.PUBLIC)
            .select_related("commune")
            .prefetch_related("organisations__membership")
            .order_by("-published_at", "-pk")[:LATEST]
        )

    def item_title(self, item: Practice) -> str:
        return item.title

    def item_description(self, item: Practice) -> str:
        return item.summary

    def item_link(self, item: Practice) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Practice) -> str:
        return f"{settings.SITE_URL}{item.get_absolute_url()}"

    def item_pubdate(self, item: Practice) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Practice) -> dt.datetime | None:
        return item.updated_at

    def item_categories(self, item: Practice) -> list[str]:
        return [str(item.get_theme_display()), *item.tag_list]

    def item_author_name(self, item: Practice) -> str | None:
        return ", ".join(public_organisation_names(item)) or None
