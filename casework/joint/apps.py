from django.apps import AppConfig


class JointReviewsConfig(AppConfig):
    """Joint-review grants, in the public schema (a Django app's tables are public or per
    partnership, never both: the review itself is ``casework``'s, in the lead's schema)."""

    name = "casework.joint"
    label = "joint"
    verbose_name = "Joint reviews across partnerships"
    default_auto_field = "django.db.models.BigAutoField"
