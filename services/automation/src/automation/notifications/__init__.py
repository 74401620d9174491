"""In-app notifications, preferences per kind and channel, mail and daily digests, a live stream."""
