"""crm_shared: the platform library every CRM service stands on (no domain logic)."""
