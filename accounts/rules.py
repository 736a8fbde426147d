# Loaded by rules.apps.AutodiscoverRulesConfig; the predicates live in permissions.py.
from accounts import permissions  # noqa: F401
