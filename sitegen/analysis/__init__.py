"""Figures computed from the model: uptime per component and day, and incident metrics.

Pure functions of a loaded site; the views lay their results out.
"""
