"""Automation's GraphQL subgraph."""

from strawberry.tools import merge_types

from automation.graphql import approvals, connectors, monitoring, notifications, webhooks, workflows
from crm_shared.graphql import federated_schema

Query = merge_types(
    "Query", (workflows.Query, notifications.Query, webhooks.Query, approvals.Query, connectors.Query, monitoring.Query)
)
Mutation = merge_types(
    "Mutation",
    (workflows.Mutation, notifications.Mutation, webhooks.Mutation, approvals.Mutation, connectors.Mutation),
)

schema = federated_schema(
    Query, Mutation, types=[approvals.Quote, approvals.Contract, approvals.Campaign, approvals.User]
)
