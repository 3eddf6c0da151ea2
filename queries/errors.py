"""The errors of the query layer, shared by the API, the pages and the CLI.

:class:`Unknown` is raised when a name or id matches nothing (a product, an industry, a
park, a path's end, a named query); :class:`BadParameter` when a parameter's value is
not of its type. The API turns both into its one JSON error shape (``api/errors.py``),
the CLI into a message and exit status 2.
"""

from __future__ import annotations


class Unknown(LookupError):
    """``key`` names no ``what``: ``suggestions`` are the closest matches (or every choice
    when there are few), ``classes`` the classes that were searched."""

    def __init__(
        self,
        what: str,
        key: str,
        suggestions: list[dict] | None = None,
        classes: list[str] | None = None,
    ) -> None:
        super().__init__(f"no {what} {key!r}")
        self.what, self.key = what, key
        self.suggestions = list(suggestions or [])
        self.classes = list(classes or [])

    @property
    def choices(self) -> list[dict]:
        """The suggestions, under the name the gap filters gave them."""
        return self.suggestions


class BadParameter(ValueError):
    """A parameter value that is not of its type (an IRI without a scheme, a word where a
    number belongs); ``param`` names the parameter."""

    def __init__(self, param: str, message: str, choices: list[str] | None = None) -> None:
        super().__init__(f"parameter {param}: {message}")
        self.param, self.choices = param, list(choices or [])
