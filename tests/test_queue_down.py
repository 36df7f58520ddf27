"""Nothing is lost when Redis is down: approving a lifting or ordering a report answers at once
with a Norwegian message, the database keeps the work as pending, and the beat sweeps send it
again once the queue answers."""
import datetime
import time

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from alnaaktiv.actor import Actor
from alnaaktiv.celery import app
from alnaaktiv.tasks import QUEUE_DOWN_MESSAGE
from conditions import services
from conditions.tasks import resend_pending_lifting_pdfs
from reporting.models import MonthlyReport
from reporting.services import targets_ensure_prestudy
from reporting.tasks import build_monthly_report_task, resend_queued_report_builds
from tests import conditions_data as data
from tests.helpers import messages

# Nothing listens on port 1: every connection is refused at once, as with a stopped Redis.
DEAD_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def queue_down():
    previous = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.update(task_always_eager=False, broker_url=DEAD_BROKER)
    yield
    app.conf.update(task_always_eager=previous[0], broker_url=previous[1])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _post_timed(client, url, data=None):
    started = time.monotonic()
    response = client.post(url, data or {})
    return response, time.monotonic() - started


@pytest.mark.django_db(transaction=True)  # on_commit runs at the request's own commit, as in production
def test_approving_while_redis_is_down_answers_at_once_and_the_sweep_renders_the_pdf_later(client, users, alna,
                                                                                          queue_down):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC), tick=True):
        made = data.vedtak(data.sak(alna), users["vedtak"])
        data.fulfil(made, users["vedtak"])
        lifting = services.lifting_prepare(vedtak=made, actor=Actor.for_user(users["vedtak"]))
        client.force_login(users["leder"])
        response, seconds = _post_timed(client, reverse("lifting-approve", args=[lifting.pk]), {"bekreftet": "ja"})
        assert response.status_code == 302 and seconds < 2, seconds
        page = client.get(response["Location"])
        assert QUEUE_DOWN_MESSAGE in messages(page)
        assert any("Opphevingen er godkjent" in message for message in messages(page))
        lifting.refresh_from_db()
        assert lifting.status == "godkjent" and not lifting.pdf
        assert "skjemaet lages" in page.content.decode()


    # A minute later the queue is still down: the sweep leaves the lifting pending.
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, 1, tzinfo=datetime.UTC)):
        assert resend_pending_lifting_pdfs() == []
    # Redis is back (tasks run here, eagerly) and the grace time is over: the PDF is made once.
    app.conf.update(task_always_eager=True)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, 5, tzinfo=datetime.UTC)):
        assert resend_pending_lifting_pdfs() == [lifting.pk]
        lifting.refresh_from_db()
        assert lifting.pdf.name.startswith("oppheving/")
        assert resend_pending_lifting_pdfs() == []


@pytest.mark.django_db(transaction=True)
def test_ordering_a_report_while_redis_is_down_keeps_it_queued_and_the_sweep_builds_it(client, users, alna,
                                                                                     queue_down):
    targets_ensure_prestudy()
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC), tick=True):
        client.force_login(users["controller"])
        response, seconds = _post_timed(client, reverse("report-build"), {"office": alna.pk, "month": "2026-10"})
        assert response.status_code == 302 and seconds < 2, seconds
        page = client.get(reverse("report-list"))
        assert QUEUE_DOWN_MESSAGE in messages(page)
        report = MonthlyReport.objects.get(office=alna, month=datetime.date(2026, 10, 1))
        assert report.build_state == "queued" and report.data is None
        assert "I kø" in page.content.decode()
        # Still inside the grace time: nothing is sent twice.
        assert resend_queued_report_builds() == []

    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 5, tzinfo=datetime.UTC)):
        # The queue is still down: the report stays queued (and is tried again next time).
        assert resend_queued_report_builds() == []
        report.refresh_from_db()
        assert report.build_state == "queued"
    app.conf.update(task_always_eager=True)
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 10, tzinfo=datetime.UTC)):
        assert resend_queued_report_builds() == [report.pk]
    report.refresh_from_db()
    assert report.build_state == "idle" and report.data is not None


def test_a_report_delivered_again_after_it_was_built_is_not_built_twice(db, alna):
    now = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)
    report = MonthlyReport.objects.create(office=alna, month=datetime.date(2026, 10, 1), build_state="idle",
                                          data={}, generated_at=now, build_requested_at=now - datetime.timedelta(minutes=3))
    assert build_monthly_report_task(report.pk) == "already built"


def test_the_outbox_sweeps_run_every_five_minutes():
    for name, task in [("resend-pending-lifting-pdfs", "conditions.tasks.resend_pending_lifting_pdfs"),
                       ("resend-queued-report-builds", "reporting.tasks.resend_queued_report_builds")]:
        entry = settings.CELERY_BEAT_SCHEDULE[name]
        assert entry["task"] == task and entry["task"] in app.tasks
        assert entry["schedule"] == 5 * 60
