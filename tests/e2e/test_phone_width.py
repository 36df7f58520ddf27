"""Issue 12 «Phones»: at 390 × 844 in Chromium, no page of any demo role is wider than the screen
(wide tables scroll inside their own box). The pages: the start page, every menu page and one page
of each kind the dead-end walk reaches (tests/sitecrawl.py). The failure lists each page too wide."""
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from alnaaktiv.demo import DEMO_USERS
from alnaaktiv.models import User
from alnaaktiv.navigation import menu_for
from tests.e2e.conftest import ARTIFACTS
from tests.sitecrawl import crawl

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
# One user per role; the Stovner veileder sees the same pages as the Alna one.
ROLE_USERS = [username for username, _first, _last, _office, _roles in DEMO_USERS if username != "veileder_stovner"]


@pytest.fixture
def demo_data(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", verbosity=0)


def pages_for(client: Client, user: User) -> list[str]:
    menu = [item["url"] for item in menu_for(user, "")]
    walk = crawl(client, user.username, max_depth=4, per_route=1, press_buttons=False)
    return list(dict.fromkeys(["/", *menu, *walk.pages_of_each_kind()]))


def test_every_page_fits_a_phone(browser, live_server, demo_data):
    too_wide, measured = [], 0
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for username in ROLE_USERS:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        context = browser.new_context(locale="nb-NO", viewport=PHONE, is_mobile=True, has_touch=True)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                              "url": live_server.url}])
        page = context.new_page()
        for path in pages_for(client, user):
            page.goto(f"{live_server.url}{path}", wait_until="domcontentloaded")
            measured += 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append(f"{username}: {path} er {width} px bred")
                page.screenshot(path=str(ARTIFACTS / f"mobil-for-bred-{username}-{len(too_wide)}.png"))
        context.close()
    print(f"\n{measured} sider målt")
    assert not too_wide, "Bredere enn 390 px:\n" + "\n".join(too_wide)
