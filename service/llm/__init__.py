"""Model access: one backend protocol, LangChain chat models underneath."""

from service.llm.backend import Backend, ChatModelBackend
from service.llm.calls import Generation
from service.llm.errors import (
    InvalidOutput,
    LLMError,
    ModelTimeout,
    ModelUnavailable,
    Truncated,
)

__all__ = [
    "Backend",
    "ChatModelBackend",
    "Generation",
    "InvalidOutput",
    "LLMError",
    "ModelTimeout",
    "ModelUnavailable",
    "Truncated",
]
