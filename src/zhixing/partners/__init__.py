"""Partner institutions as the platform sees them from outside: the sandbox simulating them."""
