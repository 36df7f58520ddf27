from django.apps import AppConfig


class ArbeidsboksConfig(AppConfig):
    name = "arbeidsboks"
    verbose_name = "Arbeidsboks"
