"""Allow ``python -m sitegen``."""

from sitegen.commands.main import main

main()
