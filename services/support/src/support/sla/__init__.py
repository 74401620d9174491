"""SLA policies, the clocks computed from a ticket's history, and the monitor that warns, breaches and escalates."""
