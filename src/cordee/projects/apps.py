from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "cordee.projects"
    verbose_name = _("Calls for projects and funded actions")
