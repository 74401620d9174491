"""Connectors: the phone system, the ERP and mail, acting on customer and sales through their own APIs."""
