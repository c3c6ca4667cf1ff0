from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClearingConfig(AppConfig):
    name = "cordee.clearing"
    verbose_name = _("Multilateral clearing")
