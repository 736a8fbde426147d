"""Helpers of the web shell tests: an HTML parser that collects every element's tag and
attributes (for the served assets in test_shell_access.py and the field tag's markup in
test_shell_help.py)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Attrs(HTMLParser):
    """Collects every element's attributes by id, and every element's tag and attrs."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.by_id: dict[str, dict] = {}
        self.elements: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = {k: (v if v is not None else "") for k, v in attrs}
        values["<tag>"] = tag
        self.elements.append((tag, values))
        if "id" in values:
            self.by_id[values["id"]] = values
