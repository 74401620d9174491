"""Outgoing webhooks: subscriptions to event types, signed deliveries, retries, a delivery log and replay."""
