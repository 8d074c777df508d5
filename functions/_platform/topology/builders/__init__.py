"""Graph builders, one per source of the twin, listed in `registry.BUILDERS`."""
