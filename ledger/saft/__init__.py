"""SAF-T Financial (Norwegian, schemas 1.10 and 1.30): import, chart and export.

- :mod:`ledger.saft.schema` — packaged XSDs, the hardened parser, validation;
- :mod:`ledger.saft.encoding` — the file's bytes against its XML declaration (and its sha256);
- :mod:`ledger.saft.read` — :func:`read_saft` (file → batches, violations, findings);
- :mod:`ledger.saft.split` — split analyses: a line spread over dimension values by amounts;
- :mod:`ledger.saft.chart` — charts from a file's accounts, mapping to the state chart;
- :mod:`ledger.saft.write` — :func:`write_saft` (a year of the books → SAF-T 1.30).
"""

from ledger.saft.read import ClosingFinding, SaftFile, SaftOptions, parse_saft, read_saft, to_batches
from ledger.saft.schema import SaftFormatError, validate
from ledger.saft.write import Company, SaftExportError, write_saft

__all__ = ["ClosingFinding", "Company", "SaftExportError", "SaftFile", "SaftFormatError", "SaftOptions",
           "parse_saft", "read_saft", "to_batches", "validate", "write_saft"]
