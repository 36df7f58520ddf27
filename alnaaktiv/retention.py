"""Personvern og sletting (docs/deploy.md): the monthly anonymisation of persons past the
retention period. This is the frame, like urls.py and celery.py: only here are the apps put
together, because the rule and the data span all of them while a lower app may never import a
higher one. Each app offers its own `retention.anonymise_person_data(person)`; this module
selects the persons (cases' rule, narrowed by conditions' rule), runs the apps' parts from the
top down (arbeidsboks → conditions → cases, which replaces the name and fødselsnummer last) in
one transaction per person, and writes the audit entries naming who ordered the run.

The audit log keeps the person's real fødselsnummer in these entries, as in all earlier ones:
the log is the one record of who saw the person's data, answers their innsyn request and has
its own retention (`manage.py purge_audit_log`, AUDIT_RETENTION_YEARS)."""
import datetime

from django.db import transaction
from django.db.models import QuerySet

from alnaaktiv import audit
from alnaaktiv.actor import Actor
from alnaaktiv.models import AuditEntry
from arbeidsboks import retention as arbeidsboks_retention
from cases import retention as cases_retention
from cases.models import Person
from conditions import retention as conditions_retention


def expired_persons(*, today: datetime.date) -> QuerySet[Person]:
    """Every course ended RETENTION_YEARS_AFTER_COURSE years ago or more, and no vedtak on the
    person's sak open or within its klage period."""
    return conditions_retention.without_open_vedtak(cases_retention.persons_past_retention(today=today), today=today)


def _entries(person: Person, changes, *, actor: Actor) -> list[AuditEntry]:
    entries = []
    for action, label, pk in changes:
        entry = audit.build_entry(action, actor=actor, person=person)
        entry.object_type, entry.object_id = label, str(pk)
        entries.append(entry)
    return entries


def anonymise_expired_persons(*, today: datetime.date, actor: Actor) -> list[int]:
    """Anonymise every person of expired_persons; returns their ids. Each person is done in
    its own transaction under a row lock and checked again inside it, so a course started
    meanwhile keeps the person, and a failure leaves that person whole and the others done.
    The entries name `actor`: beat's monthly job, or the operator running the command."""
    done = []
    for person_id in list(expired_persons(today=today).values_list("pk", flat=True)):
        with transaction.atomic():
            person = Person.objects.select_for_update().filter(pk=person_id).first()
            if person is None or not expired_persons(today=today).filter(pk=person_id).exists():
                continue
            changes = [
                *arbeidsboks_retention.anonymise_person_data(person),
                *conditions_retention.anonymise_person_data(person),
                *cases_retention.anonymise_person_data(person),
            ]
            # `person` still holds the real number: the entries are the person's own log.
            AuditEntry.objects.bulk_create(_entries(person, changes, actor=actor))
        done.append(person_id)
    return done
