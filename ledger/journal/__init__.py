"""The journal: CSV files of posting lines read into batches, and the posting rules checked on them."""
