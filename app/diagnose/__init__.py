"""Error decoder: pasted NDR text -> what it means, who raised it, how to fix it. No Flask."""
from .decoder import Diagnosis, Match, diagnose, normalize
from .headers import HeaderInputError, HeaderReading, read_headers  # noqa: F401  (the header reader)
from .rules import EXCHANGE_ONLINE, ON_PREMISES, RULES, RULESET_VERSION

__all__ = ["Diagnosis", "Match", "diagnose", "normalize", "EXCHANGE_ONLINE", "ON_PREMISES", "RULES", "RULESET_VERSION"]
