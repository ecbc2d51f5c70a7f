"""Tools for the people who write a site: start one, post updates, preview it.

They sit beside the build pipeline and use it; nothing in the pipeline
imports them.
"""
