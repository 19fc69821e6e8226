import sys

try:
    from claimcheck.cli import main
except KeyboardInterrupt:
    # Ctrl-C while still starting up: the same exit as later (errors.ExitCode.INTERRUPTED),
    # not a traceback of whichever import was running.
    sys.stderr.write("claimcheck: interrupted\n")
    sys.exit(130)

main()
