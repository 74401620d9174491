"""Marketing's GraphQL subgraph."""

from strawberry.tools import merge_types

from crm_shared.graphql import federated_schema
from marketing.graphql import (
    campaigns,
    consent,
    intelligence,
    journeys,
    materials,
    performance,
    segments,
    sms,
    templates,
)
from marketing.graphql.types import Account, Campaign, Contact, User

MODULES = (campaigns, consent, templates, sms, segments, journeys, performance, intelligence, materials)
Query = merge_types("Query", tuple(module.Query for module in MODULES))
Mutation = merge_types("Mutation", tuple(module.Mutation for module in MODULES if hasattr(module, "Mutation")))

schema = federated_schema(Query, Mutation, types=[Account, Campaign, Contact, User])
