"""Where every file of a site lives (``urls``) and how a finished site is written (``publish``)."""
