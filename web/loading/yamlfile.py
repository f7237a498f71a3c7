"""Parse one fixture file as YAML, refusing what would hang, exhaust memory or silently lose data.

Curated files use anchors and aliases to repeat a citation (`&derby_cost_header` … `*derby_cost_header`),
so aliases stay allowed; but a file may expand to at most MAX_EXPANDED_NODES values (a "billion
laughs" file expands to billions), nest at most MAX_DEPTH levels (deeper nesting overflows the
parser's recursion), be at most MAX_FILE_BYTES long, and give a key at most once per mapping (YAML
would keep the last value silently). Each refusal names the file, line, record and field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# The curated files are below 130 kB, nest 9 levels and expand to under 5,000 values.
MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_EXPANDED_NODES = 200_000


class FixtureYAMLError(yaml.YAMLError):
    """A file refused before its content is built; the message names line, record and field."""


class _FixtureLoader(yaml.SafeLoader):
    """SafeLoader that counts, while composing, the depth and the expanded size of the document."""

    def __init__(self, stream):
        super().__init__(stream)
        self.path: list[str] = []  # field names and list indexes from the top of the document
        self.expanded = 0  # values composed so far, each alias counted as everything it repeats
        self.sizes: dict[int, tuple[int, int]] = {}  # node id -> (expanded values, expanded depth)

    def refuse(self, mark, message: str, *, field: str | None = None) -> None:
        parts = list(self.path)
        if field is None:  # the field is the innermost key; the record is what holds it
            while parts and parts[-1].startswith("["):
                parts.pop()
            field = parts.pop() if parts else "(record)"
        record = ""
        for part in parts:
            record += part if part.startswith("[") or not record else f" > {part}"
        line = f"line {mark.line + 1}: " if mark else ""
        raise FixtureYAMLError(f"{line}{record or '(top level)'}: field '{field}': {message}")

    def compose_node(self, parent, index):
        if parent is None:
            return self._compose_counted(parent, index)
        if isinstance(index, yaml.ScalarNode):
            self.path.append(str(index.value))
        elif isinstance(index, int):
            self.path.append(f"[{index}]")
        else:
            self.path.append("(key)")
        try:
            return self._compose_counted(parent, index)
        finally:
            self.path.pop()

    def _compose_counted(self, parent, index):
        depth = len(self.path)
        event = self.peek_event()
        if depth > MAX_DEPTH:
            self.refuse(event.start_mark, f"nests deeper than {MAX_DEPTH} levels")
        if isinstance(event, yaml.AliasEvent):
            target = self.anchors.get(event.anchor)
            if target is not None and id(target) not in self.sizes:
                self.refuse(event.start_mark, f"the alias *{event.anchor} repeats a value that contains it")
            node = super().compose_node(parent, index)
            size, below = self.sizes[id(node)]
            self.add(event.start_mark, size, depth + below, alias=event.anchor)
            return node
        node = super().compose_node(parent, index)
        if isinstance(node, yaml.ScalarNode):
            size, below = 1, 0
        else:
            children = node.value if isinstance(node, yaml.SequenceNode) else [v for pair in node.value for v in pair]
            measured = [self.sizes.get(id(child), (1, 0)) for child in children]
            size = 1 + sum(s for s, _ in measured)
            below = 1 + max((b for _, b in measured), default=0)
        self.sizes[id(node)] = (size, below)
        self.add(event.start_mark, 1, depth)
        return node

    def add(self, mark, size: int, depth: int, *, alias: str | None = None) -> None:
        self.expanded += size
        where = f"the alias *{alias} " if alias else ""
        if self.expanded > MAX_EXPANDED_NODES:
            self.refuse(mark, f"{where}expands the file to more than {MAX_EXPANDED_NODES:,} values "
                              "(aliases repeating aliases?)")
        if depth > MAX_DEPTH:
            self.refuse(mark, f"{where}nests deeper than {MAX_DEPTH} levels")

    def compose_mapping_node(self, anchor):
        node = super().compose_mapping_node(anchor)
        seen: dict[str, int] = {}
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                if key.value in seen:
                    self.refuse(key.start_mark, f"is given twice in the same mapping (lines {seen[key.value]} and "
                                                f"{key.start_mark.line + 1}); YAML would keep only the last",
                                field=key.value)
                seen[key.value] = key.start_mark.line + 1
        return node


def read_yaml(path: Path) -> Any:
    """The content of one fixture file; raises FixtureYAMLError, yaml.YAMLError or UnicodeDecodeError."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FixtureYAMLError(f"is {size:,} bytes; a fixture file may be at most {MAX_FILE_BYTES:,}")
    loader = _FixtureLoader(path.read_text(encoding="utf-8"))
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
