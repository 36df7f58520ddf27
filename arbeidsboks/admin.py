"""Enterprises, their work areas and employer network contacts are kept by the admin role."""
from django.contrib import admin

from alnaaktiv.admin import AdminRoleAccess
from arbeidsboks.models import Arbeidsomrade, Nettverkskontakt, Virksomhet


class ArbeidsomradeInline(AdminRoleAccess, admin.TabularInline):
    model = Arbeidsomrade
    extra = 1
    fields = ["navn", "kapasitet", "normal_timer_per_uke", "arbeidstid", "laeringsinnhold"]


class NettverkskontaktInline(AdminRoleAccess, admin.TabularInline):
    model = Nettverkskontakt
    extra = 1


@admin.register(Virksomhet)
class VirksomhetAdmin(AdminRoleAccess, admin.ModelAdmin):
    list_display = ["navn", "type", "office", "kontaktperson", "markedskontakt", "avtaledato"]
    list_filter = ["office", "type"]
    inlines = [ArbeidsomradeInline, NettverkskontaktInline]
