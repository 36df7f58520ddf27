"""The shared base: offices, users with roles per office, and the audit and security logs."""
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import models, router
from django.utils import timezone


def constraint_error_field(constraint: models.BaseConstraint) -> str:
    """The field at which full_clean() reports a constraint's refusal: the field named by its
    `violation_error_code`, else the one field it reads, else the whole object (NON_FIELD_ERRORS).
    A check constraint is skipped when a field it reads is excluded, so a form that validates it
    always has the field."""
    fields = set(getattr(constraint, "fields", ()))
    condition = getattr(constraint, "condition", None)
    if condition is not None:
        fields |= condition.referenced_base_fields
    if constraint.violation_error_code in fields:
        return constraint.violation_error_code
    return fields.pop() if len(fields) == 1 else NON_FIELD_ERRORS


class CheckedModel(models.Model):
    """Base of every model with constraints. Each constraint carries its Norwegian message
    (`violation_error_message`), and full_clean() reports it at the field it is about
    (constraint_error_field): Django itself puts every CheckConstraint refusal on the whole
    object. A rule about several fields names the field to show it at in `violation_error_code`,
    e.g. `violation_error_code="mott_dager"` for «møtte dager ≤ planlagte dager». Django formats
    the message with `%`, so a percent sign in it is written `%%`."""

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        # As Django's Model.validate_constraints, with each refusal keyed by its field.
        using = router.db_for_write(self.__class__, instance=self)
        errors = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    errors.setdefault(constraint_error_field(constraint), []).append(error)
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    VEILEDER = "veileder", "Veileder"
    HOVEDVEILEDER = "hovedveileder", "Hovedveileder"
    VEDTAK = "vedtak", "Vedtaksavdelingen"
    LEDER = "leder", "Leder"
    PROSJEKTLEDER = "prosjektleder", "Prosjektleder"
    CONTROLLER = "controller", "Controller"
    KAREA = "karea", "KAREA"
    ADMIN = "admin", "Systemadministrator"


class Office(CheckedModel):
    enhetsnummer = models.CharField(
        "enhetsnummer",
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", "Enhetsnummeret må ha fire siffer.")],
    )
    name = models.CharField("navn", max_length=100)
    # docs/domain.md §5: the targets count from here; when empty, from the office's first referral.
    pilot_start = models.DateField(
        "pilotstart", null=True, blank=True,
        help_text="Måltallene telles fra denne datoen. Tom: fra kontorets første henvisning.",
    )

    class Meta:
        ordering = ["enhetsnummer"]
        verbose_name = "NAV-kontor"
        verbose_name_plural = "NAV-kontorer"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(enhetsnummer__regex=r"^[0-9]{4}$"), name="office_enhetsnummer_four_digits",
                violation_error_message="Enhetsnummeret må ha fire siffer."
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enhetsnummer} {self.name}"


class User(AbstractUser):
    """An employee. Roles are held per office through Membership; access to protected
    persons (kode 6/7) and skjermede persons (NAV employees) is granted separately."""

    may_see_fortrolig = models.BooleanField("tilgang til fortrolig adresse (kode 7)", default=False)
    may_see_strengt_fortrolig = models.BooleanField("tilgang til strengt fortrolig adresse (kode 6)", default=False)
    may_see_skjermet = models.BooleanField("tilgang til skjermede personer", default=False)
    offices = models.ManyToManyField(Office, through="Membership", related_name="users", blank=True,
                                     verbose_name="kontorer")
    # The user's own choice (/innstillinger/): a daily e-mail with the inbox's counts, no names.
    inbox_digest = models.BooleanField("daglig e-post om innboksen", default=False)

    @property
    def display_name(self) -> str:
        """How an employee is named on pages and in messages: the full name, else the username."""
        return self.get_full_name() or self.username

    class Meta:
        verbose_name = "bruker"
        verbose_name_plural = "brukere"


class Membership(CheckedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="bruker")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="memberships", verbose_name="kontor")
    role = models.CharField("rolle", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "rolle på kontor"
        verbose_name_plural = "roller på kontor"
        constraints = [
            models.UniqueConstraint(fields=["user", "office", "role"], name="membership_unique_role_per_office",
                                    violation_error_message="Brukeren har allerede denne rollen ved kontoret.",
                                    violation_error_code="role"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_valid",
                                   violation_error_message="Velg en gyldig rolle."),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.office.enhetsnummer})"


class InboxSeen(CheckedModel):
    """An inbox item the user opened (alnaaktiv/inbox.py): it leaves the start page's count. The
    item is named by its kind and the id of its object (a participant, a document, a lifting ...),
    so one table serves every app without a foreign key to each."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name="bruker")
    kind = models.CharField("type", max_length=40)
    object_id = models.PositiveBigIntegerField("objekt")
    seen_at = models.DateTimeField("sett", default=timezone.now)

    class Meta:
        verbose_name = "sett innboksinnslag"
        verbose_name_plural = "sette innboksinnslag"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "object_id"], name="inbox_seen_once_per_item",
                                    violation_error_message="Innslaget er allerede merket som sett."),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk changes are refused too (`.update()`, `.delete()`, and `bulk_update`, which uses
    update): the audit and security logs have no retention or anonymisation inside the app.
    Their retention is done by the database owner role, outside the application (docs/deploy.md);
    the app's own database role may only INSERT and SELECT on these tables."""

    def update(self, **kwargs):
        raise ValidationError("Loggen kan ikke endres.")

    def delete(self):
        raise ValidationError("Loggen kan ikke slettes.")

    update.queryset_only = True
    delete.queryset_only = True


class AppendOnlyModel(CheckedModel):
    """Log rows are written once and never changed or deleted through the application (one row
    or in bulk); on PostgreSQL a trigger and the app role's grants refuse it in the database."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError("Loggen kan ikke endres.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Loggen kan ikke slettes.")


class AuditEntry(AppendOnlyModel):
    """Sporingslogg: one row per showing of a person's data and per change."""

    class Action(models.TextChoices):
        READ = "read", "Lest"
        CREATE = "create", "Opprettet"
        UPDATE = "update", "Endret"
        DELETE = "delete", "Slettet"
        EXPORT = "export", "Eksportert"

    # Stored in UTC like every time in the database; shown in Norwegian time.
    time = models.DateTimeField("tidspunkt", default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="bruker")
    username = models.CharField("bruker", max_length=150)
    role = models.CharField("rolle", max_length=200, blank=True)
    office = models.CharField("kontor", max_length=4, blank=True)
    action = models.CharField("handling", max_length=10, choices=Action.choices)
    object_type = models.CharField("objekttype", max_length=100, blank=True)
    object_id = models.CharField("objekt-id", max_length=64, blank=True)
    person_fnr = models.CharField("person (fødselsnummer)", max_length=11, blank=True, db_index=True)
    path = models.CharField("side eller kommando", max_length=500)
    request_id = models.CharField("forespørsels-id", max_length=64, blank=True)
    needs_review = models.BooleanField("til kontroll", default=False, help_text="Lesing av beskyttet eller skjermet person")

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = "sporingslogg-innslag"
        verbose_name_plural = "sporingslogg"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=["read", "create", "update", "delete", "export"]),
                name="auditentry_action_valid",
                violation_error_message=(
                    "Handlingen i sporingsloggen må være lest, opprettet, endret, slettet eller eksportert."),
            ),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.time):%d.%m.%Y %H:%M:%S} {self.username}: {self.get_action_display().lower()}"


class SecurityEvent(AppendOnlyModel):
    """Sikkerhetslogg: refused attempts to see or change something."""

    # Stored in UTC like every time in the database; shown in Norwegian time.
    time = models.DateTimeField("tidspunkt", default=timezone.now, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name="bruker")
    username = models.CharField("bruker", max_length=150, blank=True)
    role = models.CharField("rolle", max_length=200, blank=True)
    method = models.CharField("metode", max_length=10)
    path = models.CharField("side", max_length=500)
    status = models.PositiveSmallIntegerField("svar")
    reason = models.CharField("årsak", max_length=300)
    ip_address = models.GenericIPAddressField("IP-adresse", null=True, blank=True)
    request_id = models.CharField("forespørsels-id", max_length=64, blank=True)

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = "sikkerhetslogg-innslag"
        verbose_name_plural = "sikkerhetslogg"

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M:%S} {self.username} {self.status} {self.path}"
