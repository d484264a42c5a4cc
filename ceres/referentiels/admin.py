from django.contrib import admin

from ceres.referentiels import models


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(models.Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    search_fields = ["code", "name"]


@admin.register(models.Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code_insee", "name", "kind", "departement_code", "start_date", "end_date", "successor_name"]
    list_filter = ["kind"]
    search_fields = ["code_insee", "name_key"]


@admin.register(models.Pays)
class PaysAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "start_date", "end_date"]
    search_fields = ["code", "name_key"]


@admin.register(models.Nsf)
class NsfAdmin(admin.ModelAdmin):
    list_display = ["code", "label"]
    search_fields = ["code", "label"]


class CcpInline(admin.TabularInline):
    model = models.Ccp
    extra = 0


class CcsInline(admin.TabularInline):
    model = models.Ccs
    extra = 0


@admin.register(models.TitreProfessionnel)
class TitreProfessionnelAdmin(admin.ModelAdmin):
    list_display = ["intitule", "sigle", "code_titre", "code_rncp", "niveau", "start_date", "end_date"]
    list_filter = ["niveau", "fiabilite"]
    search_fields = ["intitule", "sigle", "code_titre", "code_rncp"]
    filter_horizontal = ["nsf_codes"]
    raw_id_fields = ["predecessor"]
    inlines = [CcpInline, CcsInline]


@admin.register(models.Dreets)
class DreetsAdmin(admin.ModelAdmin):
    list_display = ["name", "region"]
    search_fields = ["name"]


@admin.register(models.UniteDepartementale)
class UniteDepartementaleAdmin(admin.ModelAdmin):
    list_display = ["name", "departement", "commune"]
    search_fields = ["name"]
    raw_id_fields = ["commune"]


@admin.register(models.Parametre)
class ParametreAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "value", "unit"]
