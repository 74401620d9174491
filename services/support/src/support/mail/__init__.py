"""Mail in and out of tickets: inbound messages threaded onto tickets, replies sent through a mail outbox."""
