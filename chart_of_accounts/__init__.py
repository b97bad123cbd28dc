"""The chart of accounts, budget catalogues and statement layouts, as packaged data.

Only :mod:`ledger.chart` and :mod:`ledger.layout` read these files; everyone else
goes through them.  ``DATA_DIR`` is where the files live in an installed package.
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
"""The directory holding ``accounts.csv``, ``skp/``, ``layouts/``, the ``*_map.csv`` tables."""
