"""Events domain. Importing the rules registers them with accounts.permissions."""
