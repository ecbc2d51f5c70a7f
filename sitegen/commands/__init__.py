"""The ``sitegen`` subcommands, one module each; ``sitegen.commands.main`` gathers them into one command."""
