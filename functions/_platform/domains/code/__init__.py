"""Static review of a service's source: security (the project's AST rules plus bandit), N+1 and other
performance traps, each issue with a checked patch or a written suggestion."""
