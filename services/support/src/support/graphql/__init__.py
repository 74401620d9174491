"""Support's GraphQL subgraph."""

from crm_shared.graphql import federated_schema
from support.graphql.operations import Mutation, Query
from support.graphql.types import Account, Ticket, User

schema = federated_schema(Query, Mutation, types=[Account, Ticket, User])
