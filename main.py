"""Start fundapp: the GUI, or the command line when the first argument names one of its commands."""

import sys


def _wants_cli(argv: list[str]) -> bool:
    """True when the first word that is not an option (nor --db's value) is a command-line command."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--db", "--user"):
            skip = True
        elif arg in ("-h", "--help", "--version"):
            return True
        elif not arg.startswith("-"):
            from fundapp.cli.parser import command_names  # every command of the parser, none listed twice

            return arg in command_names()
    return False


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # the frozen program started as an import's worker (services.import_workers)
    if _wants_cli(sys.argv[1:]):
        from fundapp.cli import main as cli_main

        raise SystemExit(cli_main())
    from fundapp.ui.app import main

    raise SystemExit(main())
