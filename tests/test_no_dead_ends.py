"""Issue 12 «No dead ends»: every demo user walks from the start page through every link, every
filter form and every button they are shown (tests/sitecrawl.py), and none of them answers 403,
404 or 5xx or sends them to the login page. The failure lists each dead end with the page it was on."""
import logging
import time

import pytest
from django.core.management import call_command

from alnaaktiv.demo import DEMO_USERS
from alnaaktiv.models import User
from tests.sitecrawl import PageParser, crawl


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


def test_the_walk_reads_forms_as_a_browser_sends_them():
    parser = PageParser()
    parser.feed("""
      <link rel="icon" href="/static/favicon.svg">
      <a href="/deltakere/">Deltakere</a> <a href="/eksport.csv" download>Last ned</a>
      <form method="get" action="/deltakere/"><select name="vis"><option value="mine">Mine</option>
        <option value="alle" selected>Alle</option></select><button>Bruk filter</button></form>
      <form method="post" action="/screening/innrullering/" id="innrullering">
        <input type="hidden" name="kontor" value="0326"><input type="text" name="dato" value="01.02.2026" disabled>
        <textarea name="notat">
Hei</textarea><button type="submit" name="handling" value="lagre">Lagre <span>notatet</span></button>
      </form>
      <input type="checkbox" name="personer" value="7" form="innrullering" checked>
      <input type="checkbox" name="personer" value="8" form="innrullering">
      <form method="post" action="/ingen-knapp/"><input name="uke" value="1"></form>
    """)
    assert parser.icons == ["/static/favicon.svg"] and parser.links == ["/deltakere/"]
    filter_form, enrol, buttonless = parser.forms
    assert (filter_form.method, filter_form.fields) == ("get", [("vis", "alle")])
    assert enrol.fields == [("kontor", "0326"), ("notat", "Hei"), ("personer", "7")]
    assert enrol.buttons == [("handling", "lagre", "Lagre notatet")]
    assert buttonless.buttons == []
