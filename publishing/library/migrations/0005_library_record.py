"""The library's ``Entry`` is named in users' words: a ``LibraryRecord`` (the public record of one
publication, as the library keeps it). Its index card's link and the counts follow: ``record``,
``records``. Only names change; no row is touched."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0004_index_cards"),
    ]

    operations = [
        migrations.RenameModel(old_name="Entry", new_name="LibraryRecord"),
        migrations.AlterModelOptions(
            name="libraryrecord",
            options={
                "ordering": [
                    models.OrderBy(models.F("published_on"), descending=True, nulls_last=True),
                    "title",
                    "id",
                ]
            },
        ),
        migrations.RenameField(model_name="indexcard", old_name="entry", new_name="record"),
        migrations.RenameField(model_name="filtervalue", old_name="entries", new_name="records"),
        migrations.RenameField(model_name="libraryedition", old_name="entries", new_name="records"),
    ]
