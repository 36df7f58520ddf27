"""The person's name folded for search (Person.navn_sok), filled for every stored person, and on
PostgreSQL a trigram index on it so a partial name (`LIKE '%term%'`) is found without reading
every person (docs/benchmarks.md, issue 14). SQLite gets the column only: the index is created
by SQL for PostgreSQL, not declared in the model, so makemigrations stays clean on both."""
from django.db import migrations, models

from alnaaktiv.text import search_key

BATCH = 2_000
INDEX = "person_navn_sok_trgm_idx"


def fill_search_names(apps, schema_editor):
    Person = apps.get_model("cases", "Person")
    batch = []
    for person in Person.objects.only("pk", "navn").order_by("pk").iterator(chunk_size=BATCH):
        person.navn_sok = search_key(person.navn)
        batch.append(person)
        if len(batch) >= BATCH:
            Person.objects.bulk_update(batch, ["navn_sok"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["navn_sok"])


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # On the column as Django's `contains` reads it (`navn_sok::text LIKE …`).
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_person USING gin ((navn_sok::text) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0011_assignments'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='navn_sok',
            field=models.CharField(default='', editable=False, max_length=200, verbose_name='navn (søk)'),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
