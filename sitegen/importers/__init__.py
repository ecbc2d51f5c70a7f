"""History from other status pages, written as ordinary sitegen content.

Each source has a reader that turns its documents into the neutral records
of :mod:`~sitegen.importers.records`: ``statuspage`` (its documents),
``statuspage_web`` and ``statuspage_manage`` (its public page and its
management API), ``incidentio``, ``cstate`` and ``upptime``; ``sources``
picks the reader for what the user gave, ``fetching`` downloads politely,
and ``reading`` and ``saved_files`` read JSON with errors that name the
document and the field.

From there one path writes every source: :mod:`~sitegen.importers.timeline`
settles how component statuses change, :mod:`~sitegen.importers.content_files`
writes each file (:mod:`~sitegen.importers.yaml_text` its front matter),
:mod:`~sitegen.importers.catalogue` merges the components into
``sitegen.toml``, :mod:`~sitegen.importers.plan` decides what to write, and
:mod:`~sitegen.importers.importing` checks the result loads and writes all
of it or nothing.
"""
