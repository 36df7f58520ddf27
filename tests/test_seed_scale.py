from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from alnaaktiv.fnr import parse_fnr
from cases.models import CourseEvent, Deltaker, OskarRecord, Person, RegisterSnapshot, Sak


def test_seed_scale_adds_households_with_registers_and_participants(alna):
    out = StringIO()
    call_command("seed_scale", "--households", "300", stdout=out)
    assert "La til 300 husholdninger" in out.getvalue()
    assert Sak.objects.filter(office=alna, saksnummer__startswith="SKALA-").count() == 300
    assert OskarRecord.objects.count() == Person.objects.count()
    assert 20 < Deltaker.objects.count() < 120
    assert CourseEvent.objects.count() >= Deltaker.objects.count()
    for person in Person.objects.all()[:50]:
        assert parse_fnr(person.fnr).birth_date == person.fodselsdato  # synthetic and consistent
    # A second run the same day adds to that day's extracts.
    call_command("seed_scale", "--households", "100", stdout=StringIO())
    assert Sak.objects.filter(office=alna).count() == 400
    assert RegisterSnapshot.objects.filter(kind="oskar").count() == 1
    assert RegisterSnapshot.objects.get(kind="oskar").row_count == OskarRecord.objects.count()


def test_seed_scale_refuses_bad_input(alna, settings):
    with pytest.raises(CommandError, match="--households må være minst 1."):
        call_command("seed_scale", "--households", "0")
    settings.ALLOW_SYNTHETIC_FNR = False
    with pytest.raises(CommandError, match="ALLOW_SYNTHETIC_FNR"):
        call_command("seed_scale", "--households", "5")
    assert not Sak.objects.exists()
