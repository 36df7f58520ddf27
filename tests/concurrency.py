"""Two people acting at the same moment: each action in its own thread and database connection."""
import threading

from django.core.exceptions import ValidationError
from django.db import connection


def race(*actions) -> list[str]:
    """Runs the actions at once; returns their outcomes sorted: "ok" or the refusal's first message."""
    barrier, outcomes = threading.Barrier(len(actions)), []

    def run(action):
        barrier.wait()
        try:
            action()
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()  # the connection this thread opened

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)
