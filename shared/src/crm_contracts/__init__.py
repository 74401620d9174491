"""Events one service publishes and others consume: the typed contract both sides import.

Producers publish these models and consumers read them, so a field renamed on one side breaks the
other's type check, not production. Events only their own service reads stay in that service.
"""
