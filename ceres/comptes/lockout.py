"""Login lockout in the shared cache: one counter per account, one per client address.

- Per account (canonical e-mail): CERES_LOGIN_FAILURE_LIMIT failures (10) lock the account for
  CERES_LOGIN_LOCKOUT_MINUTES (30), from every address, even with the right password; a password reset (proof of
  the mailbox) or the national administrator lifts it.
- Per address: CERES_LOGIN_ADDRESS_FAILURE_LIMIT failures (50), whatever the accounts tried, lock that address
  for the same time: password spraying over many accounts from one machine stops there.

Both counters live in the Django cache (Redis in production: shared by every worker), keyed by the canonical e-mail
(comptes.rules.canonical_email) and by the client address taken from the trusted proxy chain only.
"""

from django.conf import settings

from ceres.comptes.rules import canonical_email
from ceres.core import ratelimit


def _window() -> int:
    return settings.CERES_LOGIN_LOCKOUT_MINUTES * 60


def _account(email: str) -> str:
    return f"login-account:{canonical_email(email)}"


def _address(ip: str) -> str:
    return f"login-address:{ip}"


def is_locked(*, email: str, ip: str) -> bool:
    return (
        ratelimit.count(_account(email)) >= settings.CERES_LOGIN_FAILURE_LIMIT
        or ratelimit.count(_address(ip)) >= settings.CERES_LOGIN_ADDRESS_FAILURE_LIMIT
    )


def record_failure(*, email: str, ip: str) -> None:
    if canonical_email(email):
        ratelimit.hit(_account(email), window=_window())
    ratelimit.hit(_address(ip), window=_window())


def unlock_account(email: str) -> None:
    """A success, a password reset or the national administrator clears the account's failures."""
    ratelimit.clear(_account(email))
