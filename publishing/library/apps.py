from django.apps import AppConfig


class LibraryConfig(AppConfig):
    """The national learning library, in the public schema: the controlled vocabulary of themes
    and the index of every partnership's anonymised public records (DESIGN §3, the second
    door). Nothing else of a partnership's casework is here."""

    name = "publishing.library"
    label = "library"
    verbose_name = "National learning library"
    default_auto_field = "django.db.models.BigAutoField"
