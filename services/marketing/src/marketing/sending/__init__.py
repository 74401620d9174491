"""Email and SMS campaigns sent exactly once: batches, frequency caps, DKIM, one-click unsubscribe, tracking."""
