from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PremisesConfig(AppConfig):
    name = "cordee.premises"
    verbose_name = _("Pooled premises and equipment")
