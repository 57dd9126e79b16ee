"""Adapters between vcardkit's contacts and the payload shapes of other senders.

The public names are in :mod:`vcardkit.senders`; each shape has its own module
here, and :mod:`._common` holds what they share (the reading of ``to_*``'s
input as ``dumps`` reads it, lossy fields, strict readers with pointers).
"""

from __future__ import annotations
