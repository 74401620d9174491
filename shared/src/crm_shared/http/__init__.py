"""The pieces of a service's FastAPI app: factory, health, problem+json errors, auth dependency."""

from crm_shared.http.app import ServiceApp, create_service_app
from crm_shared.http.auth import CurrentPrincipal, Transaction, authenticate
from crm_shared.http.inputs import Cursor, SearchText
from crm_shared.http.problems import ERRORS, PROBLEM

__all__ = [
    "ERRORS",
    "PROBLEM",
    "CurrentPrincipal",
    "Cursor",
    "SearchText",
    "ServiceApp",
    "Transaction",
    "authenticate",
    "create_service_app",
]
