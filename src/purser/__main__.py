"""`python -m purser` runs the command line."""

from purser.cli import main

main()
