"""Read-only PostgreSQL diagnostics: targets from `SREO_DIAG_POSTGRES_DSNS`, the catalogue queries, a client."""
