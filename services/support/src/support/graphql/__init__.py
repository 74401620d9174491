"""Support's GraphQL subgraph."""

from strawberry.tools import merge_types

from crm_shared.graphql import federated_schema
from support.graphql import care, desk, kb, macros, tickets
from support.graphql.kb import Article
from support.graphql.types import Account, Ticket, User

Query = merge_types("Query", (tickets.Query, desk.Query, kb.Query, macros.Query, care.Query))
Mutation = merge_types("Mutation", (tickets.Mutation, desk.Mutation, kb.Mutation, macros.Mutation, care.Mutation))

schema = federated_schema(Query, Mutation, types=[Account, Article, Ticket, User])
