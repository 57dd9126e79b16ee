"""What the benchmarks' realistic cards are made of: RFC 2425 folding and
the pools of names, organizations, titles and labels they draw from.

Shared by ``bench.py`` and ``memory.py`` (both import it from this folder).
"""

from __future__ import annotations


def fold(line: str, eol: str) -> str:
    """RFC 2425 folding: at most 75 octets a physical line, the leading space
    of a continuation included; never inside a UTF-8 sequence."""
    if len(line.encode()) <= 75:
        return line
    if line.isascii():
        return (eol + " ").join([line[:75], *(line[i : i + 74] for i in range(75, len(line), 74))])
    out: list[str] = []
    start = size = 0
    limit = 75
    for i, ch in enumerate(line):
        octets = len(ch.encode())
        if size + octets > limit:
            out.append(line[start:i])
            start, size, limit = i, 0, 74
        size += octets
    out.append(line[start:])
    return (eol + " ").join(out)


PT_FIRST = ["João", "Conceição", "Inês", "Gonçalo", "Tânia", "Sebastião", "Lúcia", "André"]
PT_LAST = ["Gonçalves", "Magalhães", "Simões", "Araújo", "Brandão", "Falcão", "Sá", "Antunes"]
AR_FIRST = ["محمد", "أحمد", "فاطمة", "عائشة", "يوسف", "مريم", "عمر", "خديجة"]
AR_LAST = ["الهاشمي", "عبد الرحمن", "القرشي", "المصري", "السيد", "الشريف", "النجار"]
EN_FIRST = ["Sarah", "John", "Emily", "Omar", "Lucas", "Priya", "David", "Aisha"]
EN_LAST = ["Smith", "O'Brien", "Kumar", "Nguyen", "Müller", "Hassan", "García", "Okafor"]
CJK = [("王", "伟"), ("李", "娜"), ("田中", "太郎"), ("김", "민준"), ("張", "偉"), ("佐藤", "花子")]
ORGS = [
    "Wawp HQ",
    "Padaria Conceição Ltda.",
    "شركة النيل للتجارة",
    "株式会社サンプル",
    "Acme, Inc.",
]
DEPTS = ["Support", "Vendas", "المبيعات", "営業部", "R&D"]
TITLES = ["Gerente de Operações", "مدير المبيعات", "Engineer, Backend", "部長", "Owner"]
LABELS = ["Mobile", "_$!<Mobile>!$_", "手机", "Celular", "جوال", "_$!<Main>!$_"]
