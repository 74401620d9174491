"""Business-hours calendars: weekly hours in a time zone, holidays, make-up workdays and closures."""
