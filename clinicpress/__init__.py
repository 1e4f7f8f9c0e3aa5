"""clinicpress: a static site generator for health blogs.

The pipeline, one direction only (``pipeline.build``), one sub-package per stage::

    sources/      config.yaml, content/**, static/ -> checked values (SiteConfig, metas)
    markdown/     Markdown -> sanitized HTML
    incremental/  what is kept between builds (sealed cache, build records)
    content/      metas -> compiled Post / Page / Author -> Site
    render/       Site -> pages, feeds, sitemap, structured data
    output/       files -> staging folder -> checks -> atomic swap into output/

``preview/`` keeps the same stages in memory and updates one post at a time;
``commands/`` is the command line.
"""

__version__ = "0.2.0"
