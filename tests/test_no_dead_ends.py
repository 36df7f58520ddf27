"""Issue 12 «No dead ends»: every demo user walks from the start page through every link, every
filter form and every button they are shown (tests/sitecrawl.py), and none of them answers 403,
404 or 5xx or sends them to the login page. The failure lists each dead end with the page it was on."""
import logging
import time

import pytest
from django.core.management import call_command

from alnaaktiv.demo import DEMO_USERS
from alnaaktiv.models import User
from tests.sitecrawl import crawl


@pytest.fixture
def demo_data(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def quiet_request_log():
    # A 500 is reported in the test's list; the request logger's traceback would only repeat it.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    yield
    logger.setLevel(level)


def test_no_demo_user_meets_a_dead_end(client, demo_data, quiet_request_log):
    problems, summary = [], []
    for username, *_ in DEMO_USERS:
        started = time.monotonic()
        client.force_login(User.objects.get(username=username))
        walk = crawl(client, username, max_depth=4, per_route=3)
        client.logout()
        problems += walk.problems
        summary.append(f"{username}: {len(walk.visits)} sider, {time.monotonic() - started:.1f} s")
    print("\n" + "\n".join(summary))
    assert not problems, "Blindveier:\n" + "\n".join(str(problem) for problem in problems)
