"""What the auth domain reads besides log records: the certificates its endpoints serve."""
