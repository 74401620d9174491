"""Market intelligence: competitors, intelligence entries searched in Chinese, win/loss against each competitor."""
