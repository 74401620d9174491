"""Segments (客户细分): dynamic rules and static lists over marketing's projection, kept up to date by events."""
