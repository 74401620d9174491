"""The permission catalogue identity offers, as `make compose` wrote it from every service's manifest."""

from pathlib import Path

from crm_shared.auth.catalogue import Catalogue

CATALOGUE_FILE = Path(__file__).with_name("catalogue.json")
CATALOGUE = Catalogue.load(CATALOGUE_FILE)
