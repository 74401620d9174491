"""Journeys (营销自动化): versioned definitions, contacts' enrolments and the durable timers that move them."""
