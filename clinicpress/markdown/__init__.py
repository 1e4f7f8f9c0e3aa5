"""Markdown text in, sanitized HTML out: Python-Markdown extensions (citations, page
checks), the conversion itself, and the same-site rule for pictures."""
