"""clinicpress: a static site generator for health blogs.

The pipeline, one direction only (see ``pipeline.build``)::

    config.yaml -> load_config -> SiteConfig
    content/**  -> find_sources -> parse_* -> render_post -> assemble_site -> Site
    Site        -> render_pages / feeds / search -> OutputFiles into the staging folder
                -> check paths and links -> Staging.commit (atomic swap into output/)

``serve`` keeps the same stages in memory (``live_site``) and updates one post at a time.
"""

__version__ = "0.1.0"
