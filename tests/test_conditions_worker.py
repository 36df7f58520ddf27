"""The lifting form rendered by a real Celery worker (Redis, PostgreSQL shared with the worker);
locally skipped without them, a failure under CI."""
from unittest import mock

import pytest
from django.db import connection

from alnaaktiv.actor import Actor
from conditions import services
from conditions.models import Oppheving
from conditions.tasks import render_lifting_pdf
from tests import conditions_data as data
from tests import services as available
from tests.helpers import pdf_text
from tests.test_celery import worker, worker_process  # noqa: F401  (the real worker fixtures)


@pytest.mark.celery_worker
def test_a_real_worker_renders_the_approved_lifting_form_once(worker, transactional_db, users, alna):  # noqa: F811
    available.require("PostgreSQL", connection.vendor == "postgresql", "arbeideren deler databasen bare på PostgreSQL")
    made = data.vedtak(data.sak(alna), users["vedtak"])
    data.fulfil(made, users["vedtak"])
    with mock.patch("conditions.services.lifting.enqueue_on_commit") as enqueue:
        lifting = services.lifting_approve(oppheving=services.lifting_prepare(vedtak=made, actor=Actor.for_user(users["vedtak"])),
                                           actor=Actor.for_user(users["leder"]))
    enqueue.assert_called_once_with(render_lifting_pdf, lifting.pk, Actor.for_user(users["leder"]).task_payload(),
                                    actor=mock.ANY)
    render_lifting_pdf.apply_async(args=[lifting.pk], queue=worker).get(timeout=60)
    lifting = Oppheving.objects.get(pk=lifting.pk)
    first = lifting.pdf.name
    assert first.startswith("oppheving/")
    text = pdf_text(lifting.pdf.read())
    assert "Opphevingsskjema" in text and made.sak.saksnummer in text
    # delivered twice (acks_late): the second run finds the PDF and leaves it
    render_lifting_pdf.apply_async(args=[lifting.pk], queue=worker).get(timeout=60)
    assert Oppheving.objects.get(pk=lifting.pk).pdf.name == first
