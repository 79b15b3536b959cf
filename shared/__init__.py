"""lifestyle-mcp's one schema package: wire models, errors, clock and the small server kit.

Every vertical under ``servers/`` speaks these types; this package never imports from
``servers/``, so a real provider adapter can depend on it alone.
"""
