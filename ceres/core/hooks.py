"""Named hooks: how a lower app uses something only an upper app knows, without importing it.

The lower app declares the hook (``Hook("candidats.registrations_in_centres")``) and calls it; the upper app plugs
its implementation in at start-up, in its ``AppConfig.ready()``. Calling a hook that no installed app plugged in
raises ``ImproperlyConfigured``: a missing or renamed dependency fails loudly, it never empties a scope silently.
The hooks of the project are listed in docs/architecture.md.
"""

from django.core.exceptions import ImproperlyConfigured


class Hook:
    def __init__(self, name: str):
        self.name = name
        self._implementation = None

    def register(self, implementation):
        if self._implementation is not None and self._implementation is not implementation:
            raise ImproperlyConfigured(f"Le point d'extension {self.name} est déjà branché.")
        self._implementation = implementation
        return implementation

    def __call__(self, *args, **kwargs):
        if self._implementation is None:
            raise ImproperlyConfigured(
                f"Le point d'extension {self.name} n'est branché par aucune application installée."
            )
        return self._implementation(*args, **kwargs)

    def __repr__(self):
        return f"<Hook {self.name}>"
