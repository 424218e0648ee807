"""What the codemod tells a human: one finding per rewrite or warning."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

REWRITE = "rewrite"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int
    rule_id: str
    severity: str
    message: str
    cell: int | None = None  # notebooks: 1-based position of the cell; line and col are within it

    @property
    def location(self) -> str:
        if self.cell is None:
            return f"{self.path}:{self.line}:{self.col}"
        return f"{self.path}:cell {self.cell}:line {self.line}:col {self.col}"

    def to_text(self) -> str:
        return f"{self.location} {self.rule_id} {self.message}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Finding:
        """The finding ``to_json`` wrote (as the verifier's migration cache keeps them)."""
        return cls(**data)
