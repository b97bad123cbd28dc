"""The core: exact money (integer øre), units of presentation, immutable records, problems."""
