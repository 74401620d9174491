"""The suite's test kit: real PostgreSQL and broker, fresh databases, one GraphQL caller, a movable clock.

`crm_shared.testing.service` documents the conftest every service is meant to have.
"""

from crm_shared.testing.clock import FrozenClock
from crm_shared.testing.crashes import answer_lost
from crm_shared.testing.graphql import GraphQLClient
from crm_shared.testing.infra import discard_database, fresh_database, migrated_database, read_topic
from crm_shared.testing.service import ensure_service_topics, persona_map, seed_directory, service_app

__all__ = [
    "FrozenClock",
    "GraphQLClient",
    "answer_lost",
    "discard_database",
    "ensure_service_topics",
    "fresh_database",
    "migrated_database",
    "persona_map",
    "read_topic",
    "seed_directory",
    "service_app",
]
