"""movies-mcp: the Taopiaopiao-like movie-ticket server (films, cinemas, showtimes, seats)."""
