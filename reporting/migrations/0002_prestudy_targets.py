"""The pre-study's nine targets (domain.md §5), present right after `migrate` (contracts.md)."""
from decimal import Decimal

from django.db import migrations

PRESTUDY_TARGETS = [
    ("oppmote", "Henviste som møtte", "mott", "henvist", "0.9", ">="),
    ("kartlegging_tilbudt", "Møtte som fikk tilbud om kartlegging", "kartlegging_startet", "mott", "1.0", ">="),
    ("arbeidsboks", "Møtte som fikk kvalifisering eller arbeidstrening i bydelens virksomheter",
     "rute_arbeidsboks", "mott", "0.3", ">="),
    ("statlige_tiltak", "Møtte som fikk statlige arbeidsmarkedstiltak", "rute_statlig_tiltak", "mott", "0.3", ">="),
    ("andre_aktiviteter", "Møtte i andre aktiviteter (jobbsøking)", "rute_jobbsoking", "mott", "0.2", ">="),
    ("aap_ufore_avklaring", "Møtte som avklares mot AAP eller uføretrygd (forventet andel)",
     "rute_aap_ufore", "mott", "0.2", "<="),
    ("arbeid", "Avklarte som kom i arbeid", "utfall_arbeid", "avklart", "0.4", ">="),
    ("andre_rettigheter", "Avklarte som fikk en annen rett til livsopphold", "utfall_andre_rettigheter",
     "avklart", "0.2", ">="),
    ("reduksjon_sosialhjelp", "Nedgang i antall sosialhjelpsmottakere", "mottakere_nedgang",
     "mottakere_baseline", "0.2", ">="),
]


def add_targets(apps, schema_editor):
    Target = apps.get_model("reporting", "Target")
    for position, (code, name, numerator, denominator, target, comparison) in enumerate(PRESTUDY_TARGETS, start=1):
        Target.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "numerator": numerator, "denominator": denominator,
                "target": Decimal(target), "comparison": comparison, "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(add_targets, migrations.RunPython.noop)]
