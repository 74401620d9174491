"""ERP: payments, deliveries and stock in; orders out."""
