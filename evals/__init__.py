"""The evaluation sandbox: score an agent on real errands across the four servers.

Tasks are data (``evals/tasks/*.yaml``, format in ``evals.model``); ``evals.runner`` runs each in a fresh copy of a
seeded sandbox (``evals.sandbox``) through the real MCP servers, with a scripted person (``evals.user``); the end
state (``evals.state``) and the answer are judged (``evals.checks``), scored (``evals.metrics``) and reported
(``evals.report``). ``lifestyle-mcp eval`` is ``evals.cli``.
"""
