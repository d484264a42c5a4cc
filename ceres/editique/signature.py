"""Ed25519 signature of the facts printed on a parchemin, carried by its QR code.

The QR code encodes ``<CERES_PUBLIC_BASE_URL>/documents/verifier/<number>?e=<edition>&s=<token>`` where
``token = <key id>.<base64url signature>``. The signature covers the number AND the printed facts (title code,
holder's initials and birth year, date of the jury's deliberation) AND the edition (``O`` the original, ``D1``,
``D2``… the duplicatas), so a forged paper with a real number but another holder or title fails verification, and
the QR code of a replaced copy cannot pass for the current one. Parchemins signed before editions existed (message
version 1, no edition among the facts) keep verifying. The key id lets keys rotate: old keys stay in
``CERES_SIGNING_KEYS`` (or their public half in ``CERES_VERIFICATION_KEYS``) so parchemins already printed keep
verifying.

Keys: ``CERES_SIGNING_KEYS = {key_id: base64 of the 32-byte Ed25519 private key}`` and ``CERES_SIGNING_KEY_ID``
(the key used to sign). When no key is configured (dev and tests only; a deploy check refuses it in production) a
deterministic development key ``dev`` is derived from SECRET_KEY.
"""

import base64
import functools
import hashlib
import json
import re
from urllib.parse import parse_qs, quote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ceres.editique.rules import normalize_number

DEV_KEY_ID = "dev"
FACT_KEYS = ("titre", "initiales", "annee_naissance", "date")
EDITION_KEY = "edition"  # signed when present (message version 2)
KEY_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def _b64decode(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text.replace("+", "-").replace("/", "_") + "=" * (-len(text) % 4))


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def generate_private_key() -> str:
    """A new private key, base64, for CERES_SIGNING_KEYS (used by the deploy documentation)."""
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(raw).decode()


def dev_key_in_use() -> bool:
    return not settings.CERES_SIGNING_KEYS


def _private_keys() -> dict[str, Ed25519PrivateKey]:
    configured = settings.CERES_SIGNING_KEYS or {}
    return _keys_from(tuple(sorted(configured.items())), "" if configured else settings.SECRET_KEY)


@functools.lru_cache(maxsize=8)
def _keys_from(configured: tuple, secret_key: str) -> dict[str, Ed25519PrivateKey]:
    """Keys built once per configuration (a bulk print signs hundreds of documents a second)."""
    if not configured:
        seed = hashlib.sha256(b"ceres-dev-signing-key:" + secret_key.encode()).digest()
        return {DEV_KEY_ID: Ed25519PrivateKey.from_private_bytes(seed)}
    keys = {}
    for key_id, value in configured:
        if not KEY_ID_RE.match(key_id):
            raise ImproperlyConfigured(f"Identifiant de clé de signature invalide : « {key_id} ».")
        try:
            keys[key_id] = Ed25519PrivateKey.from_private_bytes(_b64decode(value))
        except ValueError as exc:
            raise ImproperlyConfigured(f"Clé de signature « {key_id} » illisible (32 octets en base64).") from exc
    return keys


def public_keys() -> dict[str, Ed25519PublicKey]:
    keys = {key_id: key.public_key() for key_id, key in _private_keys().items()}
    for key_id, value in (getattr(settings, "CERES_VERIFICATION_KEYS", None) or {}).items():
        keys.setdefault(key_id, Ed25519PublicKey.from_public_bytes(_b64decode(value)))
    return keys


def current_key_id() -> str:
    keys = _private_keys()
    if dev_key_in_use():
        return DEV_KEY_ID
    key_id = settings.CERES_SIGNING_KEY_ID or next(iter(keys))
    if key_id not in keys:
        raise ImproperlyConfigured(f"CERES_SIGNING_KEY_ID « {key_id} » absent de CERES_SIGNING_KEYS.")
    return key_id


def canonical_facts(facts: dict) -> dict:
    missing = [k for k in FACT_KEYS if k not in facts]
    if missing:
        raise ValueError(f"Faits à signer incomplets : {', '.join(missing)}.")
    keys = FACT_KEYS + ((EDITION_KEY,) if facts.get(EDITION_KEY) not in (None, "") else ())
    return {k: str(facts[k]) for k in keys}


def message(key_id: str, number: str, facts: dict) -> bytes:
    canonical = canonical_facts(facts)
    version = 2 if EDITION_KEY in canonical else 1
    body = {"v": version, "k": key_id, "n": normalize_number(number), "f": canonical}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(number: str, facts: dict) -> str:
    """Signature token ``<key id>.<base64url>`` for the number and its printed facts."""
    key_id = current_key_id()
    signature = _private_keys()[key_id].sign(message(key_id, number, facts))
    return f"{key_id}.{_b64encode(signature)}"


def verify(number: str, token: str, facts: dict) -> bool:
    """True when token is a valid signature of these facts for this number by one of our keys."""
    key_id, _, encoded = (token or "").partition(".")
    key = public_keys().get(key_id)
    if key is None or not encoded:
        return False
    try:
        key.verify(_b64decode(encoded), message(key_id, number, facts))
    except (InvalidSignature, ValueError):
        return False
    return True


def verification_path(number: str, token: str, edition: str = "") -> str:
    query = f"e={quote(edition)}&s={quote(token)}" if edition else f"s={quote(token)}"
    return f"/documents/verifier/{quote(normalize_number(number))}?{query}"


def verification_url(number: str, token: str, edition: str = "") -> str:
    """Always the configured public address (CERES_PUBLIC_BASE_URL), never the host of the request being served."""
    return settings.CERES_PUBLIC_BASE_URL.rstrip("/") + verification_path(number, token, edition)


def parse_payload(payload: str) -> tuple[str, str, str]:
    """(number, token, edition) from a scanned QR payload (full URL or path); edition "" on older parchemins."""
    parts = urlsplit(payload.strip())
    match = re.search(r"/verifier/([^/?#]+)/?$", parts.path)
    if not match:
        raise ValueError("Ce code ne contient pas d'adresse de vérification CERES.")
    query = parse_qs(parts.query)
    return normalize_number(match.group(1)), query.get("s", [""])[0], query.get("e", [""])[0]
