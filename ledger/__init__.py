"""ledger: double-entry books and the statutory annual accounts of a Norwegian
central-government agency (bruttobudsjettert virksomhet)."""

__version__ = "0.1.0"
