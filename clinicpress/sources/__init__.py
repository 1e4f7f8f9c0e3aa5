"""Reading the site folder: files found and decoded, YAML with a line for every key, front
matter split and checked against typed schemas, config.yaml, static assets, git dates. The
only stage that reads the site."""
