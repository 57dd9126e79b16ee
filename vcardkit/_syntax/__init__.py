"""The syntax layer: bytes or text to content lines and cards, with positions.

Nothing here decides severity or builds contacts; problems become
:class:`~vcardkit._syntax._reader.SyntaxIssue` events that carry a rule code
and a position, and lexing goes on.
"""
