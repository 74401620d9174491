"""Sales' GraphQL subgraph."""

from strawberry.tools import merge_types

from crm_shared.graphql import federated_schema
from sales.graphql.deals import Mutation as DealMutation
from sales.graphql.deals import Query as DealQuery
from sales.graphql.erp import Mutation as ErpMutation
from sales.graphql.leads import Mutation as LeadMutation
from sales.graphql.leads import Query as LeadQuery
from sales.graphql.revenue import Mutation as RevenueMutation
from sales.graphql.revenue import Query as RevenueQuery
from sales.graphql.types import Account, Contract, Opportunity, Order, Quote, User

Query = merge_types("Query", (LeadQuery, DealQuery, RevenueQuery))
Mutation = merge_types("Mutation", (LeadMutation, DealMutation, RevenueMutation, ErpMutation))

schema = federated_schema(Query, Mutation, types=[Account, Contract, Opportunity, Order, Quote, User])
