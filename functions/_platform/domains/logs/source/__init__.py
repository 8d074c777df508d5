"""Log files: parsers into one normalised record, bulk ingest into the search backend, and reads back."""
