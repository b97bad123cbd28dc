"""The year-end close: entries computed from the rules (:mod:`.entries`), posted to the books (:mod:`.year_end`)."""
