"""Views turn the model into the bytes of each output: pages, feeds, the JSON API, the calendar, badges.

``pages`` decides which HTML pages exist and what each template is given;
``render`` and ``theme`` render them with Jinja; the other modules build
their formats directly from the model. Views never read content files and
never write output.
"""
