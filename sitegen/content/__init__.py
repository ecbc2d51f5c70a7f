"""The content model and the one place that reads it from disk.

``model`` is what a status site knows, with no idea of how it is shown;
``loader`` (with ``config``, ``frontmatter``, ``fields`` and ``times``) reads
and validates a site's files into it, reporting every problem with its file
and line; ``warnings`` finds content that loads but is probably a mistake.
Nothing here imports from the views, the output, the authoring tools or the
command line.
"""
