"""What every fixture check needs: the error that stops a load, quotes compared as text, the
numbers written in a quote, and a Record that names the file, record and field of a problem."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# Enough to list every problem of a large fixture edit, short of a wall of text.
SHOWN_PROBLEMS = 300
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class FixtureError(Exception):
    """The fixtures are invalid; nothing was written. `problems` lists each one."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:SHOWN_PROBLEMS])
        more = f"\n  … and {len(problems) - SHOWN_PROBLEMS} more" if len(problems) > SHOWN_PROBLEMS else ""
        super().__init__(f"{len(problems)} problem(s) in the fixtures; nothing was loaded:\n{shown}{more}")


# --- quotes and the numbers in them -------------------------------------------------------

_TAGS = re.compile(r"</?[a-zA-Z][^>]*>")
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(million|billion|bn|m|k)\b)?", re.IGNORECASE
)
_MULTIPLIERS = {"k": 1_000, "m": 1_000_000, "million": 1_000_000, "bn": 10**9, "billion": 10**9}


def normalise_text(text: str) -> str:
    """What quotes are compared on: no Markdown bold, no HTML tags, whitespace collapsed."""
    return _SPACE.sub(" ", _TAGS.sub("", text.replace("**", ""))).strip()


def numbers_in(text: str) -> set[Decimal]:
    """Every number written in `text`, as a non-negative Decimal (with £1.1m also as 1100000)."""
    found = set()
    for whole, fraction, suffix in _NUMBER.findall(text):
        value = Decimal(whole.replace(",", "") + (fraction or ""))
        found.add(value)
        if suffix:
            found.add(value * _MULTIPLIERS[suffix.lower()])
    return found


# --- validation ---------------------------------------------------------------------------


@dataclass
class Record:
    """Where a value comes from, for error messages: the file and the record inside it."""

    file: str
    name: str
    problems: list[str]

    def error(self, field_name: str, message: str) -> None:
        self.problems.append(f"{self.file}: {self.name}: field '{field_name}': {message}")

    def child(self, name: str) -> Record:
        return Record(self.file, f"{self.name} > {name}", self.problems)

    # Typed getters: each returns a clean value, or records a problem and returns a default.

    def check_keys(self, data: Any, allowed: set[str], required: set[str] = frozenset()) -> dict:
        if not isinstance(data, dict):
            self.error("(record)", f"expected a mapping, got {type(data).__name__}")
            return {}
        for key in sorted(set(data) - allowed):
            self.error(key, f"unknown field (allowed: {', '.join(sorted(allowed))})")
        for key in sorted(required - set(data)):
            self.error(key, "is required")
        return data

    def text(self, data: dict, key: str, *, required: bool = True, max_length: int = 0) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.error(key, "is required")
            return ""
        if not isinstance(value, str):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            else:
                self.error(key, f"must be text, got {value!r}")
                return ""
        value = value.strip()
        if max_length and len(value) > max_length:
            self.error(key, f"is longer than {max_length} characters")
        if CONTROL_CHARACTER.search(value):
            self.error(key, "contains a control character (only tabs and line breaks are allowed)")
            return ""
        return value

    def choice(self, data: dict, key: str, choices, *, required: bool = True) -> str:
        value = data.get(key)
        if value in (None, "") and not required:
            return ""
        allowed = [c.value for c in choices] if hasattr(choices, "__members__") else list(choices)
        if value not in allowed:
            self.error(key, f"{value!r} is not one of: {', '.join(allowed)}")
            return ""
        return value

    def year(self, data: dict, key: str, *, required: bool = False) -> int | None:
        value = data.get(key)
        if value in (None, ""):
            if required:
                self.error(key, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2100:
            self.error(key, f"must be a year between 1990 and 2100, got {value!r}")
            return None
        return value

    def count(self, data: dict, key: str) -> int | None:
        value = data.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.error(key, f"must be a whole number ≥ 0, got {value!r}")
            return None
        return value

    def decimal(self, data: dict, key: str, *, required: bool = True, minimum: Decimal | None = None,
                places: int = 2) -> Decimal | None:
        value = data.get(key)
        if value in (None, ""):
            if required:
                self.error(key, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.error(key, f"must be a number written as text, e.g. \"45000\", got {value!r}")
            return None
        text = str(value).strip()
        if not re.fullmatch(r"-?\d+(\.\d+)?", text):
            self.error(key, f"must be digits without £, % or commas, got {value!r}")
            return None
        number = Decimal(text)
        if minimum is not None and number < minimum:
            self.error(key, f"must be ≥ {minimum}, got {value!r}")
            return None
        if -number.as_tuple().exponent > places:
            self.error(key, f"has more than {places} decimal places: {value!r}")
            return None
        return number

    def slugs(self, data: dict, key: str, known: set[str]) -> list[str]:
        values = data.get(key) or []
        if not isinstance(values, list) or not values:
            self.error(key, "must be a non-empty list")
            return []
        for value in values:
            if value not in known:
                self.error(key, f"unknown {key[:-1]} {value!r}")
        return [v for v in values if v in known]
