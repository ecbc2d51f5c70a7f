"""The ``sitegen`` subcommands, one module each; ``sitegen.cli`` gathers them into one command."""
