"""Email campaigns sent exactly once, with one-click unsubscribe and signed tracking links."""
