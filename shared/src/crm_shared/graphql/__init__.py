"""Federation subgraph helpers: schema factory, request context, errors, cursor connections."""

from crm_shared.graphql.connection import Connection, Edge, PageInfo
from crm_shared.graphql.context import Info, RequestContext
from crm_shared.graphql.ids import gid
from crm_shared.graphql.schema import ReturnsSecret, federated_schema, graphql_router

__all__ = [
    "Connection",
    "Edge",
    "Info",
    "PageInfo",
    "RequestContext",
    "ReturnsSecret",
    "federated_schema",
    "gid",
    "graphql_router",
]
