from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Casework: referrals, clocks, rapid reviews, decisions, reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from casework.handoffs import HANDOFFS
        from tenants.handoffs import handlers_register

        handlers_register(HANDOFFS)
