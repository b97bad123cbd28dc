"""The names of the input documents a year keeps in the books (the files of a year folder).

``ledger inputs import YEAR DIR`` reads them from a folder and keeps them as one
revision; the statements read them back by these names.
"""

BUDGET = "budget.csv"
"""The year's budget catalogue: the statskontoer the agency reports on."""
APPROPRIATIONS = "appropriations.csv"
"""The year's appropriations per statskonto (the tildelingsbrev), in whole kroner."""
AGENCY = "agency.toml"
"""The agency's facts of the year (name, organisation number, employees, FTEs …)."""
COMPARATIVES = "comparatives.csv"
"""Last year's published figures, for the first year kept in the books (optional)."""
FOOTNOTES = "footnotes.csv"
"""The agency's texts that belong to this year (variance explanations, the charge
authorisations used), ``footnotes.csv``'s columns; optional, added to the agency folder's."""
YEAR_DOCUMENTS = (BUDGET, APPROPRIATIONS, AGENCY, COMPARATIVES, FOOTNOTES)
REQUIRED = (BUDGET, APPROPRIATIONS, AGENCY)
"""The documents a year folder must have; comparatives.csv and footnotes.csv are optional."""
AGENCY_SCOPE = 0
"""The "year" under which the books keep the agency's own folder (its reference data), for every year."""
