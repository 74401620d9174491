"""Workflow rules: versioned definitions, runs with a step ledger, durable timers."""
