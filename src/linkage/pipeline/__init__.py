"""The build: manifest, raw files, cache, schema and the run that writes the tables."""
