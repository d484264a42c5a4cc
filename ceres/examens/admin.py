from django.contrib import admin

from ceres.core.admin import ReadOnlyAdmin
from ceres.examens.models import (
    Certification,
    EnvoiConvocation,
    Inscription,
    MembreConvoque,
    PvSigne,
    ResultatCcp,
    SessionExamen,
)


class MembreConvoqueInline(admin.TabularInline):
    model = MembreConvoque
    extra = 0
    fields = ["membre", "convocation_sent_at", "convocation_error"]
    readonly_fields = fields
    can_delete = False


@admin.register(SessionExamen)
class SessionExamenAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "centre", "start_date", "status", "pv_number"]
    list_filter = ["status", "type", "departement"]
    search_fields = ["centre__name", "titre__intitule", "titre__sigle", "pv_number"]
    inlines = [MembreConvoqueInline]


@admin.register(Inscription)
class InscriptionAdmin(ReadOnlyAdmin):
    list_display = ["candidat", "session", "route", "decision"]
    list_filter = ["route", "decision"]
    raw_id_fields = ["candidat", "session"]


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "awarded_on", "number", "withdrawn_at"]
    list_filter = ["kind"]
    search_fields = ["number", "candidat__numero"]


@admin.register(EnvoiConvocation)
class EnvoiConvocationAdmin(ReadOnlyAdmin):
    list_display = ["session", "status", "sent", "failed", "total", "created_at"]


@admin.register(ResultatCcp)
class ResultatCcpAdmin(ReadOnlyAdmin):
    list_display = ["inscription", "ccp", "value"]
    list_filter = ["value"]
    raw_id_fields = ["inscription", "ccp"]


@admin.register(PvSigne)
class PvSigneAdmin(ReadOnlyAdmin):
    list_display = ["session", "created_at", "uploaded_by", "size", "sha256"]
