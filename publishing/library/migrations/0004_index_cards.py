"""The library's index cards and filter values (what search reads, apart from the entries), the
count of entries on the edition's row, and the search vector moved from the entry to its card.
The entries already in the library get their cards and counts here, by a copy of the SQL that
``services.library_index_rebuild`` ran when this migration was written (frozen, so that later
changes to the service never change what this migration does)."""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


ENTRY_VALUES = """
    SELECT e.id AS entry_id, v.filter, v.value, v.n
    FROM library_entry AS e
    CROSS JOIN LATERAL (
        SELECT 'theme', t.value, t.n FROM unnest(e.themes) WITH ORDINALITY AS t(value, n)
        UNION ALL SELECT 'year', e.year::text, 1 WHERE e.year IS NOT NULL
        UNION ALL SELECT 'type', e.review_type, 1
        UNION ALL SELECT 'partnership', p.value, p.n
            FROM unnest(e.partnership_keys) WITH ORDINALITY AS p(value, n)
        UNION ALL SELECT 'age_band', a.value, a.n
            FROM unnest(e.age_bands) WITH ORDINALITY AS a(value, n)
    ) AS v(filter, value, n)
"""

INDEX_EVERY_ENTRY = [
    f"""
    INSERT INTO library_filtervalue (filter, value, position, entries)
    SELECT w.filter, w.value,
        row_number() OVER (PARTITION BY w.filter ORDER BY w.value) - 1, 0
    FROM (SELECT DISTINCT filter, value FROM ({ENTRY_VALUES}) AS v) AS w
    """,
    f"""
    INSERT INTO library_indexcard (
        entry_id, published_on, search_vector, filter_values, year, type_value,
        lead_partnership_value, other_partnership_values, theme_bits, more_theme_values, age_bits
    )
    SELECT e.id, e.published_on,
        setweight(to_tsvector('english'::regconfig,
            concat_ws(' ', e.title, array_to_string(e.pseudonyms, ' '))), 'A')
        || setweight(to_tsvector('english'::regconfig, concat_ws(' ',
            (SELECT string_agg(coalesce(t.label, replace(s.slug, '-', ' ')), ' ' ORDER BY s.n)
                FROM unnest(e.themes) WITH ORDINALITY AS s(slug, n)
                LEFT JOIN library_theme AS t ON t.slug = s.slug),
            e.review_type_label,
            (SELECT string_agg(p.item ->> 'name', ' ' ORDER BY p.n)
                FROM jsonb_array_elements(e.partnerships) WITH ORDINALITY AS p(item, n)))), 'B')
        || setweight(to_tsvector('english'::regconfig,
            concat_ws(' ', e.summary, e.improvements)), 'C')
        || setweight(to_tsvector('english'::regconfig, coalesce(
            (SELECT string_agg(c.item ->> 'text', ' ' ORDER BY c.n)
                FROM jsonb_array_elements(e.chair_statements) WITH ORDINALITY AS c(item, n)),
            '')), 'D'),
        c.filter_values, e.year, c.type_value, c.lead_partnership_value,
        c.other_partnership_values, c.theme_bits, c.more_theme_values, c.age_bits
    FROM library_entry AS e
    JOIN (
        SELECT v.entry_id,
            array_agg(DISTINCT f.id ORDER BY f.id) AS filter_values,
            min(f.id) FILTER (WHERE v.filter = 'type') AS type_value,
            min(f.id) FILTER (WHERE v.filter = 'partnership' AND v.n = 1)
                AS lead_partnership_value,
            array_agg(f.id ORDER BY v.n)
                FILTER (WHERE v.filter = 'partnership' AND v.n > 1)
                AS other_partnership_values,
            coalesce(bit_or(1::bigint << f.position)
                FILTER (WHERE v.filter = 'theme' AND f.position < 63), 0) AS theme_bits,
            array_agg(DISTINCT f.id ORDER BY f.id)
                FILTER (WHERE v.filter = 'theme' AND f.position >= 63)
                AS more_theme_values,
            coalesce(bit_or(1::bigint << f.position) FILTER (WHERE v.filter = 'age_band'), 0)
                AS age_bits
        FROM ({ENTRY_VALUES}) AS v
        JOIN library_filtervalue AS f ON f.filter = v.filter AND f.value = v.value
        GROUP BY v.entry_id
    ) AS c ON c.entry_id = e.id
    """,
    """
    UPDATE library_filtervalue AS f SET entries = (
        SELECT count(*) FROM library_indexcard AS c WHERE c.filter_values @> ARRAY[f.id])
    """,
    "UPDATE library_libraryedition SET entries = (SELECT count(*) FROM library_entry)",
]


class Migration(migrations.Migration):

    dependencies = [
        ('library', '0003_edition'),
    ]

    operations = [
        migrations.CreateModel(
            name='FilterValue',
            fields=[
                ('id', models.AutoField(primary_key=True, serialize=False)),
                ('filter', models.CharField(max_length=16)),
                ('value', models.CharField(max_length=60)),
                ('position', models.PositiveIntegerField()),
                ('entries', models.PositiveIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name='IndexCard',
            fields=[
                ('entry', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='card', serialize=False, to='library.entry')),
                ('published_on', models.DateField(null=True)),
                ('search_vector', django.contrib.postgres.search.SearchVectorField()),
                ('filter_values', django.contrib.postgres.fields.ArrayField(base_field=models.IntegerField(), size=None)),
                ('year', models.PositiveSmallIntegerField(null=True)),
                ('type_value', models.IntegerField()),
                ('lead_partnership_value', models.IntegerField()),
                ('other_partnership_values', django.contrib.postgres.fields.ArrayField(base_field=models.IntegerField(), null=True, size=None)),
                ('theme_bits', models.BigIntegerField()),
                ('more_theme_values', django.contrib.postgres.fields.ArrayField(base_field=models.IntegerField(), null=True, size=None)),
                ('age_bits', models.BigIntegerField()),
            ],
        ),
        migrations.AddField(
            model_name='libraryedition',
            name='entries',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunSQL(
            INDEX_EVERY_ENTRY,
            reverse_sql=[
                "UPDATE library_entry AS e SET search_vector = c.search_vector"
                " FROM library_indexcard AS c WHERE c.entry_id = e.id"
            ],
        ),
        migrations.RemoveIndex(
            model_name='entry',
            name='library_search',
        ),
        migrations.RemoveField(
            model_name='entry',
            name='search_vector',
        ),
        migrations.AddConstraint(
            model_name='filtervalue',
            constraint=models.UniqueConstraint(fields=('filter', 'value'), name='library_filter_value'),
        ),
        migrations.AddConstraint(
            model_name='filtervalue',
            constraint=models.UniqueConstraint(fields=('filter', 'position'), name='library_filter_position'),
        ),
        migrations.AddIndex(
            model_name='indexcard',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_vector'], name='library_card_search'),
        ),
        migrations.AddIndex(
            model_name='indexcard',
            index=django.contrib.postgres.indexes.GinIndex(fields=['filter_values'], name='library_card_values'),
        ),
    ]
