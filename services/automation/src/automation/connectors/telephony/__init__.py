"""Telephony (CTI): call events in, click-to-call out."""
