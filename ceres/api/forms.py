from django import forms

from ceres.api import selectors
from ceres.api.enums import PorteeCle
from ceres.centres.models import Centre
from ceres.core.forms import DsfrForm


class CleForm(DsfrForm):
    name = forms.CharField(
        label="Nom de la clé", max_length=100, help_text="Par exemple le nom du logiciel qui l'utilisera."
    )
    scope = forms.ChoiceField(label="Portée", choices=PorteeCle.choices, initial=PorteeCle.LECTURE)
    centre = forms.ModelChoiceField(label="Centre", queryset=Centre.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        centres = Centre.objects.filter(pk__in=selectors.administered_centre_ids(user)).order_by("name")
        if centres:
            self.fields["centre"].queryset = centres
            self.fields["centre"].required = True
            self.fields["centre"].empty_label = None
        else:
            # State agents: a read-only key of their own scope (UD or region).
            del self.fields["centre"]
            self.fields["scope"].choices = [(PorteeCle.LECTURE, PorteeCle.LECTURE.label)]


class RevokeForm(forms.Form):
    reason = forms.CharField(required=False, max_length=500)
