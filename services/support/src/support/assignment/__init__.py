"""Routing new tickets to a team and an agent within it; teams and their queues."""
