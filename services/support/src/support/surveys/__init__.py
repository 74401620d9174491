"""Satisfaction: CSAT (with an optional CES question) after a resolution, relationship NPS on a schedule."""
