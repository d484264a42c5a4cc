from django.contrib import admin
from django.db.models import Count, Q
from django.utils import timezone

from ceres.core.journal import diff, journal_record, snapshot
from ceres.core.models import JournalEntry
from ceres.core.text import search_key
from ceres.referentiels import models, selectors
from ceres.referentiels.rules import Statut


class JournaledAdmin(admin.ModelAdmin):
    """Admin edits of the référentiels are journaled like service writes (who changed what, before/after)."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else {}
        super().save_model(request, obj, form, change)
        journal_record(
            action=JournalEntry.Action.UPDATE if change else JournalEntry.Action.CREATE,
            obj=obj,
            by=request.user,
            changes=diff(before, snapshot(obj)),
            operation="admin",
        )


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(models.Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    search_fields = ["code", "name"]


class CommuneMotInline(admin.TabularInline):
    """Inner-word search keys: rebuilt by the COG loader, shown read-only."""

    model = models.CommuneMot
    fields = ["word_key"]
    readonly_fields = ["word_key"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Commune)
class CommuneAdmin(admin.ModelAdmin):
    inlines = [CommuneMotInline]
    list_display = [
        "code_insee", "name", "kind", "departement_code", "start_date", "end_date", "event", "event_successor_name",
        "successor_name",
    ]  # fmt: skip
    list_filter = ["kind", "event"]
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
    fk_name = "titre"
    autocomplete_fields = ["correspond_to"]


@admin.register(models.Ccp)
class CcpAdmin(admin.ModelAdmin):
    list_display = ["__str__", "titre", "code_bloc", "code_cp"]
    search_fields = ["intitule", "code_bloc", "code_cp", "titre__code_rncp", "titre__sigle"]
    autocomplete_fields = ["correspond_to"]
    raw_id_fields = ["titre"]


class StatutFilter(admin.SimpleListFilter):
    title = "cycle de vie"
    parameter_name = "statut"

    def lookups(self, request, model_admin):
        return [*Statut.FILTERS, (Statut.INCONNU, "Dates inconnues")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(selectors.statut_q(self.value(), timezone.localdate()))
        return queryset


class ImprimableFilter(admin.SimpleListFilter):
    title = "impression sur parchemin"
    parameter_name = "imprimable"

    def lookups(self, request, model_admin):
        return [("oui", "Imprimable"), ("non", "Non imprimable (intitulé, niveau ou NSF manquant)")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        missing = Q(intitule="") | Q(niveau__isnull=True) | Q(nb_nsf=0)
        queryset = queryset.annotate(nb_nsf=Count("nsf_codes"))
        return queryset.filter(missing) if self.value() == "non" else queryset.exclude(missing)


class CcsInline(admin.TabularInline):
    model = models.Ccs
    extra = 0


@admin.register(models.TitreProfessionnel)
class TitreProfessionnelAdmin(JournaledAdmin):
    list_display = ["intitule", "sigle", "code_titre", "code_rncp", "niveau", "start_date", "end_date"]
    list_filter = [StatutFilter, ImprimableFilter, "niveau", "fiabilite"]
    search_fields = ["intitule", "sigle", "code_titre", "code_rncp"]
    exclude = ["intitule_key"]
    autocomplete_fields = ["nsf_codes", "predecessor"]
    inlines = [CcpInline, CcsInline]

    def save_model(self, request, obj, form, change):
        obj.intitule_key = search_key(obj.intitule)
        super().save_model(request, obj, form, change)


@admin.register(models.Dreets)
class DreetsAdmin(JournaledAdmin):
    list_display = ["name", "region"]
    search_fields = ["name"]


@admin.register(models.UniteDepartementale)
class UniteDepartementaleAdmin(JournaledAdmin):
    """The commune is printed after « Fait à » on parchemins; it defaults to the département's chef-lieu."""

    list_display = ["name", "departement", "commune", "address", "postal_code"]
    search_fields = ["name", "departement__code", "departement__name"]
    autocomplete_fields = ["commune"]


@admin.register(models.Parametre)
class ParametreAdmin(JournaledAdmin):
    list_display = ["code", "label", "value", "unit"]

    def get_readonly_fields(self, request, obj=None):
        # Code read by parametres.get(): fixed once created.
        return ["code"] if obj else []
