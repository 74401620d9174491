"""Campaigns (市场活动): their members, budget and its approval, and actual costs."""
