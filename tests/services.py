"""Which outside services the suite can use. Locally a missing service skips the tests that need
it (and says so); under CI=true a missing service fails them."""
import os
import shutil
from pathlib import Path

import pytest
import redis

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


def redis_url() -> str | None:
    return os.environ.get("REDIS_URL") or None


def redis_reachable() -> tuple[bool, str]:
    url = redis_url()
    if not url:
        return False, "REDIS_URL er ikke satt"

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except Exception as error:
        return False, f"Redis svarer ikke på {url}: {error}"
    return True, url


def chromium_available() -> tuple[bool, str]:
    if CHROMIUM.exists() or shutil.which(str(CHROMIUM)):
        return True, str(CHROMIUM)
    return False, f"{CHROMIUM} finnes ikke (apt-get install -y chromium)"


def require(name: str, available: bool, detail: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"{name} mangler under CI: {detail}", pytrace=False)
    pytest.skip(f"{name} ikke tilgjengelig: {detail}")
