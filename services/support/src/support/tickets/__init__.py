"""Tickets (服务请求/工单): the conversation, the status history their SLA clocks are computed from."""
