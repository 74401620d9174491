"""Support's GraphQL subgraph."""

from strawberry.tools import merge_types

from crm_shared.graphql import federated_schema
from support.graphql import care, desk, tickets
from support.graphql.types import Account, Ticket, User

Query = merge_types("Query", (tickets.Query, desk.Query, care.Query))
Mutation = merge_types("Mutation", (tickets.Mutation, desk.Mutation, care.Mutation))

schema = federated_schema(Query, Mutation, types=[Account, Ticket, User])
