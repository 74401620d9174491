"""Identity's GraphQL subgraph: the merged schema."""

from strawberry.tools import merge_types

from crm_shared.graphql import federated_schema
from identity.graphql.audit import AuditQuery
from identity.graphql.auth import AuthMutation, AuthQuery, SecurityMutation, SecurityQuery
from identity.graphql.deadletters import DeadLetterMutation, DeadLetterQuery
from identity.graphql.org import OrgMutation, OrgQuery
from identity.graphql.types import User
from identity.graphql.users import UserMutation, UserQuery

Query = merge_types("Query", (UserQuery, OrgQuery, AuditQuery, AuthQuery, SecurityQuery, DeadLetterQuery))
Mutation = merge_types("Mutation", (AuthMutation, UserMutation, OrgMutation, SecurityMutation, DeadLetterMutation))

schema = federated_schema(Query, Mutation, types=[User])
