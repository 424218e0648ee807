"""What the codemod tells a human: one finding per rewrite or warning."""

from __future__ import annotations

from dataclasses import asdict, dataclass

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

    def to_text(self) -> str:
        return f"{self.path}:{self.line}:{self.col} {self.rule_id} {self.message}"

    def to_json(self) -> dict:
        return asdict(self)
