"""The Markdown report of one flow run: its steps, their screenshots, the result."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass
class Step:
    caption: str
    screenshot: str  # file name inside the report's folder
    passed: bool = True


@dataclass
class FlowResult:
    name: str
    description: str
    backend: str
    steps: list[Step] = field(default_factory=list)
    error: str | None = None
    report_path: Path | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and all(step.passed for step in self.steps)


def write_report(result: FlowResult, folder: Path, started: datetime) -> Path:
    lines = [f"# QA flow `{result.name}`: {'PASSED' if result.passed else 'FAILED'}", "",
             result.description, "",
             f"- backend: {result.backend}", f"- started: {started:%Y-%m-%d %H:%M:%S}",
             f"- steps: {len(result.steps)}", ""]
    if result.error:
        lines += ["## Failure", "", "```", result.error, "```", ""]
    lines += ["## Steps", ""]
    for number, step in enumerate(result.steps, 1):
        mark = "ok" if step.passed else "FAILED"
        lines += [f"### {number}. {step.caption} ({mark})", "",
                  f"![{step.caption}]({step.screenshot})", ""]
    path = folder / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
