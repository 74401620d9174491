"""Service analytics: backlog, response and resolution times in business hours, SLA attainment, CSAT, NPS."""
