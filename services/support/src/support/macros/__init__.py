"""Canned responses (macros): reply texts with merge fields, filled in for one ticket."""
