"""After-sales records (维保记录): an account's installed base from delivered orders, and its service history."""
