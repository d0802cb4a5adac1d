"""`python -m claimline`: what `claimline schedule` starts for each refresh."""

from claimline.cli import cli

cli(prog_name="claimline")
