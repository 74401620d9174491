"""Email logging: mail copied to a personal address becomes email activities."""
