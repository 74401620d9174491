"""Multi-level approvals of quotes, contracts and campaign budgets."""
