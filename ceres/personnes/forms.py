"""Form checks of an identity, shared by the candidate and juror forms (the services check the same again)."""

from ceres.personnes import rules
from ceres.referentiels.forms import commune_errors_on, pays_errors_on


def add_identity_errors(form, cleaned: dict) -> None:
    """Printable names (field by field, in French), birth commune and country valid at the birth date."""
    names = {field: rules.clean_name(cleaned.get(field)) for field in ("birth_name", "usage_name", "first_names")}
    for field, errors in rules.identity_errors(**names).items():
        for error in errors:
            form.add_error(field, error)
    for field, value in names.items():
        if field in cleaned and field not in form.errors:
            cleaned[field] = value
    birth_date = cleaned.get("birth_date")
    for error in commune_errors_on(cleaned.get("birth_commune"), birth_date):
        form.add_error("birth_commune", error)
    for error in pays_errors_on(cleaned.get("birth_country"), birth_date):
        form.add_error("birth_country", error)
