"""claimline: who said what, when, and about whom, during public-service incidents."""


class ClaimlineError(Exception):
    """Bad input or a failed step, with a one-line message meant for a person."""
