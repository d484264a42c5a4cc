"""Idempotent loaders of the référentiels from the data files committed under ceres/referentiels/data/.

Each loader returns a dict of counters {"créés": n, "modifiés": n, "inchangés": n, ...}.
Order matters: territory before communes (UD commune), NSF before titles.
"""
