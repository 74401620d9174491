"""Marketing's GraphQL subgraph."""

from strawberry.tools import merge_types

from crm_shared.graphql import federated_schema
from marketing.graphql import campaigns, consent, sms, templates
from marketing.graphql.types import Account, Campaign, Contact, User

Query = merge_types("Query", (campaigns.Query, consent.Query, templates.Query, sms.Query))
Mutation = merge_types("Mutation", (campaigns.Mutation, consent.Mutation, templates.Mutation, sms.Mutation))

schema = federated_schema(Query, Mutation, types=[Account, Campaign, Contact, User])
