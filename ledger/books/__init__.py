"""The books: one SQLite file holding the chart, the posted batches, the years and the input documents."""
