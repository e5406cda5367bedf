"""Interview kits: a printable script for a human interviewer (questions in order with time
boxes, key points, red flags, follow-ups, scorecard) and the scoring of a filled-in kit into
the evaluation report. See docs/kit.md."""

from gointerview.kit.build import Kit, KitItem, build_kit
from gointerview.kit.scorecard import FilledKit, KitError, apply_sets, parse, report

__all__ = ["FilledKit", "Kit", "KitError", "KitItem", "apply_sets", "build_kit", "parse", "report"]
