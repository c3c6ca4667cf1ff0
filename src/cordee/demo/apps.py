from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cordee.demo"
    label = "demo"
    verbose_name = "Demo hub"
