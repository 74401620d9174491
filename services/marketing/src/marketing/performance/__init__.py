"""Attribution and return on investment: what each campaign brought, counted from events as they arrive."""
