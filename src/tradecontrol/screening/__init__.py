"""Name normalisation and matching.

This release matches names exactly after normalisation (:func:`normalize_name`). Fuzzy
screening will plug in behind :meth:`tradecontrol.Rulebook.match_entity`.
"""

from tradecontrol.screening.normalize import name_keys, normalize_name

__all__ = ["name_keys", "normalize_name"]
