"""``python -m ledger``: the command line, as the ``ledger`` script runs it."""

from ledger.cli import main

main()
