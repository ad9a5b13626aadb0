"""The first vocabulary of themes: those the publishing issue names and those the seeds'
partnerships tag their reviews with. The platform edits it afterwards (``manage.py theme``)."""

from django.db import migrations
from django.utils.text import slugify

THEMES = [
    "Neglect",
    "Parental mental health",
    "Perinatal mental health",
    "Substance misuse",
    "Parental substance misuse",
    "Domestic abuse",
    "Child sexual abuse",
    "Criminal exploitation",
    "Missing children",
    "Looked-after children",
    "Foster care",
    "Non-accidental injury",
    "Information sharing",
    "Families moving between areas",
    "Adolescents",
    "Youth violence",
    "Temporary accommodation",
    "Child protection planning",
    "Malnutrition",
    "Early identification",
    "Child death",
    "Infant death",
    "Sudden unexpected death in infancy",
    "Language and cultural barriers",
    "Complex families",
    "Suicide and self-harm",
    "Disability",
    "Race, ethnicity and culture",
    "Voice of the child",
    "Online harm",
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("library", "Theme")
    for label in THEMES:
        Theme.objects.get_or_create(slug=slugify(label), defaults={"label": label})


def remove_themes(apps, schema_editor):
    Theme = apps.get_model("library", "Theme")
    Theme.objects.filter(slug__in=[slugify(label) for label in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(add_themes, remove_themes)]
