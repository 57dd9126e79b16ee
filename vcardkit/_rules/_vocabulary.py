"""What the vCard RFCs name: properties, parameters, TYPE values, value kinds.

The tables the VC3xx rules share (:mod:`vcardkit._rules._values`). Names are
upper case; comparisons upper-case the name as written (RFC 2425 §5.8.2:
names are case-insensitive). Each table cites where its names come from.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "IMAGE_TYPES",
    "KNOWN_PARAMETERS",
    "KNOWN_PROPERTIES",
    "KNOWN_TYPES",
    "NON_TEXT_X_PROPERTIES",
    "SOUND_TYPES",
    "TEXT_LIST",
    "TEXT_SINGLE",
    "TEXT_STRUCTURED",
    "TEXT_STRUCTURED_LIST",
    "is_x_name",
]


def is_x_name(name: str) -> bool:
    """RFC 2425 §5.8.2: ``x-name = "x-" 1*(ALPHA / DIGIT / "-")``."""
    return len(name) > 2 and name[:2] in ("X-", "x-")


# ---------------------------------------------------------------------------
# Which values are text (RFC 2426 §4, "vCard Type Definition"), and how they
# split. TEL, EMAIL, URL, BDAY, UID, REV and the media properties are not
# treated as text here (docs/design.md): their values are not escaped the same way.

# A single text-value: "," ";" and "\" are escaped.
TEXT_SINGLE: Final = frozenset(
    {
        "FN",
        "TITLE",
        "ROLE",
        "NOTE",
        "PRODID",
        "SORT-STRING",
        "CLASS",
        "LABEL",
        "MAILER",
        "NAME",  # RFC 2425 §6.1
    }
)
# text-list: items split at ",", so a "," is not a fault there.
TEXT_LIST: Final = frozenset({"NICKNAME", "CATEGORIES"})
# Components split at ";", each one text-value: ORG (org-value) and ADR
# (adr-value = 0*6(text-value ";") text-value) in 3.0.
TEXT_STRUCTURED: Final = frozenset({"ORG", "ADR"})
# Components split at ";", each a list split at ",": N (n-value) in 3.0;
# ADR too in 4.0 (RFC 6350 §6.3.1, list-component).
TEXT_STRUCTURED_LIST: Final = frozenset({"N"})

# RFC 2426 §4 makes every X- property a text-value. These vendor properties
# are known to hold something else (Android's ";"-structured custom rows, a
# URI, a date, XML, JSON), so their ";" and "," are not text faults.
NON_TEXT_X_PROPERTIES: Final = frozenset(
    {
        "X-ANDROID-CUSTOM",  # Android: "vnd.android.cursor.item/...;value;..."
        "X-SOCIALPROFILE",  # Apple: a URI
        "X-ABDATE",  # Apple: a date
        "X-ANNIVERSARY",
        "X-EVOLUTION-ANNIVERSARY",
        "X-MS-OL-DESIGN",  # Outlook: XML
        "X-MS-CARDPICTURE",  # Outlook: base64
        "X-COUCHDB-APPLICATION-ANNOTATIONS",  # JSON
        "X-GEO",
    }
)


# ---------------------------------------------------------------------------
# Property names any vCard RFC defines (VC314). X- names are always allowed.
KNOWN_PROPERTIES: Final = frozenset(
    {
        # RFC 2425 §6 (the directory profile)
        "SOURCE",
        "NAME",
        "PROFILE",
        "BEGIN",
        "END",
        # RFC 2426 §3 (vCard 3.0); vCard 2.1 defines no others
        "FN",
        "N",
        "NICKNAME",
        "PHOTO",
        "BDAY",
        "ADR",
        "LABEL",
        "TEL",
        "EMAIL",
        "MAILER",
        "TZ",
        "GEO",
        "TITLE",
        "ROLE",
        "LOGO",
        "AGENT",
        "ORG",
        "CATEGORIES",
        "NOTE",
        "PRODID",
        "REV",
        "SORT-STRING",
        "SOUND",
        "UID",
        "URL",
        "VERSION",
        "CLASS",
        "KEY",
        # RFC 2739 (calendar attributes)
        "FBURL",
        "CALADRURI",
        "CAPURI",
        "CALURI",
        # RFC 4770 (instant messaging)
        "IMPP",
        # RFC 6350 (vCard 4.0)
        "KIND",
        "XML",
        "ANNIVERSARY",
        "GENDER",
        "LANG",
        "RELATED",
        "MEMBER",
        "CLIENTPIDMAP",
        # RFC 6474 (place and date of birth and death)
        "BIRTHPLACE",
        "DEATHPLACE",
        "DEATHDATE",
        # RFC 6715 (OMA CAB extensions)
        "EXPERTISE",
        "HOBBY",
        "INTEREST",
        "ORG-DIRECTORY",
        # RFC 8605 (ICANN RDAP extensions)
        "CONTACT-URI",
        # RFC 9554 (vCard for JSContact)
        "CREATED",
        "GRAMGENDER",
        "LANGUAGE",
        "PRONOUNS",
        "SOCIALPROFILE",
        # RFC 9555 (JSContact conversion)
        "JSPROP",
    }
)


# ---------------------------------------------------------------------------
# Parameter names each version defines (VC313). X- names are always allowed.
_PARAMETERS_21: Final = frozenset({"TYPE", "ENCODING", "CHARSET", "LANGUAGE", "VALUE"})
KNOWN_PARAMETERS: Final = {
    "2.1": _PARAMETERS_21,
    # RFC 2425 §5.8.4 (ENCODING, VALUE, LANGUAGE, CONTEXT) and RFC 2426 §4
    # (TYPE). CHARSET is VC305's business: it is not reported twice.
    "3.0": frozenset({"TYPE", "ENCODING", "VALUE", "LANGUAGE", "CONTEXT", "CHARSET"}),
    # RFC 6350 §5, and the RFCs that extend it (6715, 8605, 9554, 9555).
    "4.0": frozenset(
        {
            "LANGUAGE",
            "VALUE",
            "PREF",
            "ALTID",
            "PID",
            "TYPE",
            "MEDIATYPE",
            "CALSCALE",
            "SORT-AS",
            "GEO",
            "TZ",
            "LABEL",
            "INDEX",
            "LEVEL",
            "CC",
            "AUTHOR",
            "AUTHOR-NAME",
            "CREATED",
            "DERIVED",
            "PHONETIC",
            "PROP-ID",
            "SCRIPT",
            "SERVICE-TYPE",
            "USERNAME",
            "JSPTR",
        }
    ),
}


# ---------------------------------------------------------------------------
# TYPE values per property (VC311): RFC 2426's lists, which end in
# "iana-token / x-name"; the iana-tokens taken are the TYPE values IANA's
# vCard registry holds for that property (RFC 6350 §10.3.4: "work" and
# "home" for most properties; RFC 4770 for IMPP). Apple's IPHONE and MAIN,
# and OTHER, are in neither, so they are reported (at info).

# RFC 6350 §5.6: TYPE "work" and "home" apply to these properties.
_WORK_HOME: Final = frozenset({"WORK", "HOME"})

# RFC 2426 §3.1.4 img-type, and IANA image subtypes (the RFC says "an IANA
# registered image format"). "image/jpeg" spellings are taken too.
IMAGE_TYPES: Final = frozenset(
    {
        "GIF",
        "CGM",
        "WMF",
        "BMP",
        "MET",
        "PMB",
        "DIB",
        "PICT",
        "TIFF",
        "PS",
        "PDF",
        "JPEG",
        "MPEG",
        "MPEG2",
        "AVI",
        "QTIME",
        # IANA image/* subtypes in common use
        "PNG",
        "APNG",
        "SVG+XML",
        "WEBP",
        "HEIC",
        "HEIF",
        "AVIF",
        "JP2",
        "JXL",
        "EMF",
        "ICO",
        "VND.MICROSOFT.ICON",
        "JPG",  # not registered, but every reader maps it to JPEG
    }
)
# RFC 2426 §3.6.6 snd-type, and IANA audio subtypes in common use.
SOUND_TYPES: Final = frozenset(
    {
        "WAVE",
        "PCM",
        "AIFF",
        "BASIC",
        "MPEG",
        "MP4",
        "AAC",
        "OGG",
        "OPUS",
        "VORBIS",
        "FLAC",
        "WAV",
        "AMR",
        "3GPP",
    }
)

KNOWN_TYPES: Final[dict[str, frozenset[str]]] = {
    # RFC 2426 §3.3.1 tel-type; RFC 6350 adds TEXT and TEXTPHONE, RFC 7852
    # MAIN-NUMBER.
    "TEL": frozenset(
        {
            "HOME",
            "MSG",
            "WORK",
            "PREF",
            "VOICE",
            "FAX",
            "CELL",
            "VIDEO",
            "PAGER",
            "BBS",
            "MODEM",
            "CAR",
            "ISDN",
            "PCS",
            "TEXT",
            "TEXTPHONE",
            "MAIN-NUMBER",
        }
    ),
    # RFC 2426 §3.3.2 email-type (with "," "PREF").
    "EMAIL": frozenset({"INTERNET", "X400", "PREF"}) | _WORK_HOME,
    # RFC 2426 §3.2.1 adr-type, the same for LABEL (§3.2.2).
    "ADR": frozenset({"DOM", "INTL", "POSTAL", "PARCEL", "HOME", "WORK", "PREF"}),
    "LABEL": frozenset({"DOM", "INTL", "POSTAL", "PARCEL", "HOME", "WORK", "PREF"}),
    "PHOTO": IMAGE_TYPES | _WORK_HOME,
    "LOGO": IMAGE_TYPES | _WORK_HOME,
    "SOUND": SOUND_TYPES | _WORK_HOME,
    # RFC 2426 §3.7.2 keytype.
    "KEY": frozenset({"X509", "PGP"}) | _WORK_HOME,
    # RFC 4770 §2.
    "IMPP": frozenset({"PERSONAL", "BUSINESS", "HOME", "WORK", "MOBILE", "PREF"}),
    # RFC 6350 §6.6.6.
    "RELATED": frozenset(
        {
            "CONTACT",
            "ACQUAINTANCE",
            "FRIEND",
            "MET",
            "CO-WORKER",
            "COLLEAGUE",
            "CO-RESIDENT",
            "NEIGHBOR",
            "CHILD",
            "PARENT",
            "SIBLING",
            "SPOUSE",
            "KIN",
            "MUSE",
            "CRUSH",
            "DATE",
            "SWEETHEART",
            "ME",
            "AGENT",
            "EMERGENCY",
        }
        | _WORK_HOME
    ),
}
# RFC 6350 §5.6: the other properties "work" and "home" apply to.
for _name in (
    "FN",
    "NICKNAME",
    "LANG",
    "TZ",
    "GEO",
    "TITLE",
    "ROLE",
    "ORG",
    "CATEGORIES",
    "NOTE",
    "URL",
    "FBURL",
    "CALADRURI",
    "CALURI",
):
    KNOWN_TYPES[_name] = _WORK_HOME
del _name

# Properties whose TYPE names a media type ("image/jpeg" is taken as JPEG).
MEDIA_TYPE_PREFIX: Final = {"PHOTO": "IMAGE/", "LOGO": "IMAGE/", "SOUND": "AUDIO/"}
