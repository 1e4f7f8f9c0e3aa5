"""Checked documents in, the site model out: posts compiled (Markdown, citations,
readability, review), references, and the assembled Site."""
