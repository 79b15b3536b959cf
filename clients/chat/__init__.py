"""The Qwen-driven chat agent: a Qwen model behind any OpenAI-compatible endpoint works through a task with the
suite's tools (``agent``), reading tool calls in either style Qwen endpoints emit (``llm``); the person answers
confirmations and questions (``person``); what happened is a ``Transcript`` (``transcript``); ``lifestyle-mcp chat``
is ``cli.main``.

    from clients.chat import Agent, OpenAIChat, Terminal
    from clients.suite import Suite

    async with Agent(Suite.stdio(), OpenAIChat(base_url="http://127.0.0.1:11434/v1", model="qwen3"),
                     ask=Terminal()) as agent:
        print((await agent.run("Two seats for a film tonight near home")).text())
"""

from clients.chat.agent import SYSTEM_PROMPT, Agent, Thinking, ToolStarted
from clients.chat.llm import ChatModel, ModelError, ModelReply, OpenAIChat, ToolCall, parse_text_calls
from clients.chat.person import Terminal, always
from clients.chat.transcript import ModelTurn, Question, ToolRun, Transcript, UserTurn

__all__ = [
    "SYSTEM_PROMPT",
    "Agent",
    "ChatModel",
    "ModelError",
    "ModelReply",
    "ModelTurn",
    "OpenAIChat",
    "Question",
    "Terminal",
    "Thinking",
    "ToolCall",
    "ToolRun",
    "ToolStarted",
    "Transcript",
    "UserTurn",
    "always",
    "parse_text_calls",
]
