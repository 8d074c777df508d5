"""Auth analyzers: failed logins, brute force, credential stuffing, token errors and certificate expiry."""
