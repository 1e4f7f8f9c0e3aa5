"""The Site in, files out: pages through Jinja templates, feeds, sitemap, structured data
and hosting files."""
