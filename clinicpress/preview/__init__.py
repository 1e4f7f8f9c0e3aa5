"""The writer's live-reloading preview: the site kept in memory, updated one saved post at
a time by the same pipeline steps."""
