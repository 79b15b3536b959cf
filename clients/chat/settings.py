"""Where the chat agent's settings come from, read from the environment here and nowhere else.

The model endpoint: ``LIFESTYLE_LLM_BASE_URL`` (default: a local Ollama), ``LIFESTYLE_LLM_MODEL``,
``LIFESTYLE_LLM_API_KEY`` (or ``DASHSCOPE_API_KEY``), ``LIFESTYLE_LLM_MAX_STEPS``, ``LIFESTYLE_LLM_TIMEOUT``,
``LIFESTYLE_LLM_TEMPERATURE``, ``LIFESTYLE_LLM_TEXT_RESULTS``; command-line options win over them.

The servers: stdio servers get the ``LIFESTYLE_*`` (and ``FOOD_*``, ``TICKETS_*``, ``MOVIES_*``, ``NAV_*``)
variables of this environment, as if started from this shell (the SDK passes a subprocess only a short list of
its own), without the model's settings or the HTTP token; ``--data-dir``/``--user`` override theirs. Servers over
HTTP get ``LIFESTYLE_MCP_TOKEN`` (or ``--token``) as the bearer token.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from clients.suite import VERTICALS

LLM_PREFIX = "LIFESTYLE_LLM_"
TOKEN_VARIABLE = "LIFESTYLE_MCP_TOKEN"


class LlmSettings(BaseSettings):
    """The model endpoint and how the agent works with it."""

    model_config = SettingsConfigDict(env_prefix=LLM_PREFIX, extra="ignore")

    base_url: str = Field(
        default="http://127.0.0.1:11434/v1",
        description="OpenAI-compatible endpoint: Ollama (default), vLLM http://127.0.0.1:8000/v1, llama.cpp "
        "http://127.0.0.1:8080/v1, DashScope https://dashscope.aliyuncs.com/compatible-mode/v1.",
    )
    model: str = Field(default="qwen3", description="Model name as the endpoint knows it, e.g. qwen3, Qwen/Qwen3-8B.")
    api_key: SecretStr = Field(
        default=SecretStr(""),
        validation_alias=AliasChoices("LIFESTYLE_LLM_API_KEY", "DASHSCOPE_API_KEY"),
        description="API key; local servers need none.",
    )
    max_steps: int = Field(default=20, ge=1, le=200, description="Model turns per task before the agent stops.")
    timeout: float = Field(default=120.0, gt=0, description="Seconds to wait for one model turn.")
    temperature: float | None = Field(
        default=None, ge=0, le=2, description="Sampling temperature; unset: the server's."
    )
    text_results: Literal["tool", "user"] = Field(
        default="tool",
        description="How results of tool calls written as text go back: 'tool' messages, or 'user' turns of "
        "<tool_response> blocks for endpoints that refuse tool messages.",
    )


def _forwarded(name: str) -> bool:
    if name.startswith(LLM_PREFIX) or name == TOKEN_VARIABLE:
        return False
    return name.startswith("LIFESTYLE_") or any(name.startswith(f"{v.upper()}_") for v in VERTICALS)


def server_env(
    *, data_dir: Path | None = None, user: str | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment for stdio servers: this one's server settings, with ``data_dir``/``user`` on top."""
    source = os.environ if environ is None else environ
    env = {name: value for name, value in source.items() if _forwarded(name)}
    if data_dir is not None:
        env["LIFESTYLE_DATA_DIR"] = str(data_dir.expanduser().resolve())
    if user:
        env["LIFESTYLE_USER"] = user
    return env


def mcp_token(environ: Mapping[str, str] | None = None) -> str:
    """The bearer token for servers over HTTP, from the environment."""
    return (os.environ if environ is None else environ).get(TOKEN_VARIABLE, "")
