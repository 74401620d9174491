"""Agents' shifts: a weekly pattern with exceptions; assignment gives tickets to agents on shift."""
