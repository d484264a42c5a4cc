"""Demo accounts, one per role (password below, set only when the account is created)."""

from ceres.comptes.enums import Role
from ceres.comptes.models import User
from ceres.referentiels.models import Region, UniteDepartementale

DEMO_PASSWORD = "Ceres-demo-2026!"
DEMO_REGION_CODE = "84"  # Auvergne-Rhône-Alpes


def _referentiel(model, label, **lookup):
    try:
        return model.objects.get(**lookup)
    except model.DoesNotExist:
        raise RuntimeError(
            f"{label} introuvable : chargez d'abord les référentiels territoriaux "
            "(python manage.py load_referentiels --wet-run)."
        ) from None


def demo_accounts():
    region = _referentiel(Region, f"La région {DEMO_REGION_CODE}", code=DEMO_REGION_CODE)
    ud01 = _referentiel(UniteDepartementale, "L'unité départementale de l'Ain (01)", departement__code="01")
    ud69 = _referentiel(UniteDepartementale, "L'unité départementale du Rhône (69)", departement__code="69")
    return [
        (
            "admin@ceres.demo",
            "Adèle",
            "Nationale",
            {"role": Role.ADMIN_NATIONAL, "is_staff": True, "is_superuser": True},
        ),
        ("dreets@ceres.demo", "Denis", "Régional", {"role": Role.AGENT_DREETS, "region": region}),
        ("ud01@ceres.demo", "Ursule", "Bressane", {"role": Role.AGENT_UD, "ud": ud01}),
        ("ud69@ceres.demo", "Ulysse", "Lyonnais", {"role": Role.AGENT_UD, "ud": ud69}),
        ("centre@ceres.demo", "Céline", "Formatrice", {"role": Role.GESTIONNAIRE_CENTRE}),
        ("jury@ceres.demo", "Jules", "Juré", {"role": Role.MEMBRE_JURY}),
    ]


def seed() -> dict[str, int]:
    created = updated = 0
    for email, first_name, last_name, fields in demo_accounts():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, first_name=first_name, last_name=last_name, **fields)
            user.set_password(DEMO_PASSWORD)
            user.full_clean()
            user.save()
            created += 1
            continue
        # Role and attachment are put back if they drifted; the password is left as the user set it.
        changed = [name for name, value in fields.items() if getattr(user, name) != value]
        if changed:
            for name in changed:
                setattr(user, name, fields[name])
            user.full_clean()
            user.save(update_fields=changed)
            updated += 1
    return {"comptes créés": created, "comptes remis en ordre": updated}
