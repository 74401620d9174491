"""Customer's GraphQL subgraph."""

from crm_shared.graphql import federated_schema

from customer.graphql.operations import Mutation, Query
from customer.graphql.types import Account, User

schema = federated_schema(Query, Mutation, types=[Account, User])
