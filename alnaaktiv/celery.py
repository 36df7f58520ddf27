"""Celery application. Settings come from Django's settings under the CELERY_ prefix; when
REDIS_URL is unset, CELERY_TASK_ALWAYS_EAGER runs tasks in the calling process."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alnaaktiv.settings.local")

app = Celery("alnaaktiv")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
