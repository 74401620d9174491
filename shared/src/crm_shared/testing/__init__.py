"""Real infrastructure for tests: PostgreSQL and a Kafka-protocol broker, started once per run."""

from crm_shared.testing.infra import migrated_database, read_topic

__all__ = ["migrated_database", "read_topic"]
