from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data and its ``load_demo`` command; no models."""

    name = "safeguard.demo"
    label = "demo"
    verbose_name = "Demo data"
