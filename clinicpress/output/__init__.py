"""Rendered files in, the output folder out: the staging folder and its atomic swap, link
and path checks, the search index, and the page workers that write."""
