"""Reference data that exists right after migrate: the pilot's offices."""
from django.db import migrations

OFFICES = [("0326", "NAV Alna"), ("0328", "NAV Stovner")]


def create_offices(apps, schema_editor):
    Office = apps.get_model("alnaaktiv", "Office")
    for enhetsnummer, name in OFFICES:
        Office.objects.get_or_create(enhetsnummer=enhetsnummer, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("alnaaktiv", "0001_initial")]

    operations = [migrations.RunPython(create_offices, migrations.RunPython.noop)]
