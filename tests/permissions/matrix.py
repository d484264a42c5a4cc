"""Contract of the permission matrix: each app's tests/<app>/url_matrix.py returns a list of Case.

A Case says, for one named URL (with its kwargs), which HTTP status every role key gets.
Role keys are those of ``ROLE_KEYS``; every key must appear in ``expected``.
Status conventions: 200 (allowed page), 302 (anonymous sent to the login page, or a redirect after a POST),
403 (visible object, forbidden action), 404 (object outside the user's scope), 405 (method not allowed).
"""

from dataclasses import dataclass, field

ROLE_KEYS = (
    "anonyme",
    "admin_national",
    "agent_dreets",
    "agent_dreets_autre",
    "agent_ud",
    "agent_ud_autre",
    "gestionnaire_centre",
    "gestionnaire_autre_centre",
    "membre_jury",
)


@dataclass
class Case:
    url_name: str  # "namespace:name"
    kwargs: dict = field(default_factory=dict)
    expected: dict = field(default_factory=dict)  # role key -> status code
    method: str = "get"
    data: dict | None = None
    # Optional: HTTP headers (e.g. {"HX-Request": "true"}) and a label shown when the case fails.
    headers: dict | None = None
    label: str = ""

    def __post_init__(self):
        self.method = self.method.lower()
        unknown = set(self.expected) - set(ROLE_KEYS)
        if unknown:
            raise ValueError(f"{self.url_name}: clés de rôle inconnues {sorted(unknown)}")


def everyone(status: int, **overrides) -> dict:
    """expected dict with the same status for every role key, then per-key overrides."""
    expected = dict.fromkeys(ROLE_KEYS, status)
    expected.update(overrides)
    return expected


def logged_in(status: int, anonyme: int = 302, **overrides) -> dict:
    """Same status for every logged-in role; anonymous is sent to the login page (302) by default."""
    return everyone(status, anonyme=anonyme, **overrides)
