"""The command line: build, check, serve, init and new."""
