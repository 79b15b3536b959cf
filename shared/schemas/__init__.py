"""Wire models shared by every vertical: what crosses HTTP between client and backend and
what tools return. Field descriptions are what a model reads, so every field has one."""
