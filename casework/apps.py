from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework: referrals, clocks, rapid reviews, decisions, reviews"
    default_auto_field = "django.db.models.BigAutoField"
