"""Event tickets (Damai-like): find concerts, theatre, sports and exhibitions, read seat maps, hold
seats, buy with confirmation, show e-tickets, refund by policy."""
