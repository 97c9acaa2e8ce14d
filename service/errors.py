"""Errors a user caused: bad input. Each has a machine-readable code and an HTTP status."""

from __future__ import annotations


class InputError(ValueError):
    code = "invalid_input"
    status = 422

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EmptyArticle(InputError):
    code = "empty_article"


class InputTooLarge(InputError):
    code = "input_too_large"
    status = 413


class InvalidEncoding(InputError):
    code = "invalid_encoding"
    status = 400


class BinaryContent(InputError):
    code = "binary_content"
    status = 400


class UnsupportedMediaType(InputError):
    code = "unsupported_media_type"
    status = 415
