"""Reference data: the state's chart, the budget catalogues, statement layouts, mappings and rules.

All of it is tables (``chart_of_accounts/``) read by this package into one
:class:`~ledger.reference.bundle.ReferenceData` (:func:`~ledger.reference.bundle.load_reference`).
"""
