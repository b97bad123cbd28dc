"""Registers the cash statements: the appropriation report with notes A and B, the
artskonto report and the overview of mellomværende med statskassen.

``ledger show bevilgning|bevilgning_beholdninger|note-a|note-b|artskonto|mellomvaerende YEAR``.
"""

from __future__ import annotations

from statements import artskonto, bevilgning, note_b
from statements.registry import statement

statement("bevilgning")(bevilgning.bevilgning)
statement("bevilgning_beholdninger")(bevilgning.beholdninger)
statement("note_a")(bevilgning.note_a)
statement("note_b")(note_b.note_b)
statement("artskonto")(artskonto.artskonto)
statement("mellomvaerende")(artskonto.mellomvaerende)
