"""Email templates in zh-CN and en with merge fields rendered in a sandbox."""
