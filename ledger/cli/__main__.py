"""``python -m ledger.cli``: the ``ledger`` command (the benchmark runner starts it this way)."""

from ledger.cli import main

main()
