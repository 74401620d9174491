"""Contract tests: what other teams rely on (events, schema, REST) checked against the real services."""
