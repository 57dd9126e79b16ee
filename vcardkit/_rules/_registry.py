"""The explicit registry of rules, in code order (no import-time discovery)."""

from __future__ import annotations

from typing import Final

from vcardkit._rules._base import Rule
from vcardkit._rules._vc2xx import (
    DuplicateProperty,
    MissingFn,
    MissingN,
    MissingVersion,
    NComponents,
    OrphanLabel,
    TooManyComponents,
    UnsupportedVersion,
)
from vcardkit._rules._vc4xx import (
    EmptyPayload,
    MissingWaid,
    PhoneFormatting,
    PhoneInvalid,
    PhoneNotE164,
    PhoneUnknownRegion,
    TelTooLong,
    TooManyContacts,
    TooManyPhones,
    WaidFormat,
    WaidMismatch,
    WaidWithoutPhone,
)
from vcardkit._rules._vc5xx import MissingOrganization, NameEmoji, NameIsNumber, NameTooLong
from vcardkit._rules._vc6xx import (
    InvalidExtraProperty,
    InvalidJson,
    MissingName,
    NotAContactArray,
    UnknownKey,
    VcardAndFields,
    VcardNotOneCard,
    WrongType,
)
from vcardkit._rules._vc7xx import DuplicateContact, DuplicateUid
from vcardkit._rules._vc10x import (
    ByteOrderMark,
    InvalidUtf8,
    LeadingWhitespace,
    LineEnding,
    MalformedLine,
    NestedCard,
    TextOutsideCard,
    UnmatchedEnd,
    UnterminatedCard,
)
from vcardkit._rules._vc11x import (
    ControlCharacter,
    EmptyCard,
    FoldSplitsCharacter,
    LongLine,
    MalformedParameter,
    NotUtf8Encoding,
    OversizedLine,
    UnicodeLineSeparator,
)
from vcardkit._rules._vc30x import (
    Base64EncodingName,
    CharsetParameter,
    InvalidDate,
    InvalidEmail,
    InvalidEscape,
    InvalidUrl,
    QuotedPrintable,
    UnescapedComma,
    UnescapedSemicolon,
)
from vcardkit._rules._vc31x import (
    AdrEscapes,
    InvalidLanguageTag,
    MediaValue,
    UnknownParameter,
    UnknownProperty,
    UnknownType,
)

__all__ = ["REGISTRY", "instances"]

REGISTRY: Final[tuple[type[Rule], ...]] = tuple(
    sorted(
        (
            # VC1xx stream and syntax
            InvalidUtf8,
            ByteOrderMark,
            LineEnding,
            LeadingWhitespace,
            UnterminatedCard,
            UnmatchedEnd,
            NestedCard,
            TextOutsideCard,
            MalformedLine,
            MalformedParameter,
            LongLine,
            FoldSplitsCharacter,
            ControlCharacter,
            OversizedLine,
            EmptyCard,
            NotUtf8Encoding,
            UnicodeLineSeparator,
            # VC2xx structure and cardinality
            MissingVersion,
            UnsupportedVersion,
            MissingFn,
            MissingN,
            NComponents,
            DuplicateProperty,
            OrphanLabel,
            TooManyComponents,
            # VC3xx values
            UnescapedComma,
            UnescapedSemicolon,
            InvalidEscape,
            QuotedPrintable,
            CharsetParameter,
            InvalidDate,
            InvalidEmail,
            InvalidUrl,
            Base64EncodingName,
            AdrEscapes,
            UnknownType,
            MediaValue,
            UnknownParameter,
            UnknownProperty,
            InvalidLanguageTag,
            # VC4xx phones and WhatsApp ids
            PhoneNotE164,
            PhoneInvalid,
            PhoneUnknownRegion,
            WaidFormat,
            WaidMismatch,
            MissingWaid,
            TelTooLong,
            TooManyPhones,
            TooManyContacts,
            EmptyPayload,
            WaidWithoutPhone,
            PhoneFormatting,
            # VC5xx names and card quality
            NameTooLong,
            NameEmoji,
            MissingOrganization,
            NameIsNumber,
            # VC6xx JSON payload shape
            InvalidJson,
            NotAContactArray,
            UnknownKey,
            WrongType,
            MissingName,
            VcardAndFields,
            VcardNotOneCard,
            InvalidExtraProperty,
            # VC7xx across cards
            DuplicateContact,
            DuplicateUid,
        ),
        key=lambda rule: rule.code,
    )
)

_INSTANCES: dict[str, Rule] = {}


def instances() -> dict[str, Rule]:
    """One instance of each rule (rules hold no state), made on first use."""
    if not _INSTANCES:
        _INSTANCES.update((rule.code, rule()) for rule in REGISTRY)
    return _INSTANCES
