"""clinicpress: a static site generator for health blogs.

The pipeline, one direction only (see ``pipeline.build``)::

    config.yaml -> load_config -> SiteConfig
    content/**  -> find_sources -> parse_* -> render_post -> assemble_site -> Site
    Site        -> render_site / feeds / search -> [OutputFile] -> check_links -> write_site
"""

__version__ = "0.1.0"
