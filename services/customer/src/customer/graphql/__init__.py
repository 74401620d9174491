"""Customer's GraphQL subgraph."""

from strawberry.tools import merge_types

from crm_shared.graphql import federated_schema
from customer.graphql.custom_fields import CustomFieldMutation, CustomFieldQuery
from customer.graphql.imports import ImportMutation, ImportQuery
from customer.graphql.operations import Mutation as AccountMutation
from customer.graphql.operations import Query as AccountQuery
from customer.graphql.saved_views import SavedViewMutation, SavedViewQuery
from customer.graphql.types import Account, User

Query = merge_types("Query", (AccountQuery, ImportQuery, CustomFieldQuery, SavedViewQuery))
Mutation = merge_types("Mutation", (AccountMutation, ImportMutation, CustomFieldMutation, SavedViewMutation))

schema = federated_schema(Query, Mutation, types=[Account, User])
