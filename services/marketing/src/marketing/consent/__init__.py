"""Consent and suppression (PIPL): opt-in and opt-out per contact and channel, the do-not-contact list."""
