"""The chart of accounts, budget catalogues and statement layouts, as packaged data.

Only :mod:`ledger.reference` reads these files; everyone else is handed the
:class:`~ledger.reference.bundle.ReferenceData` it loads.  ``DATA_DIR`` is where the files live in an installed package.
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
"""The directory holding ``accounts.csv``, ``skp/``, ``layouts/``, the ``*_map.csv`` tables."""
