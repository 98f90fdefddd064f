"""Redaction of personal data in anything that leaves the research team.

Reports quote workers verbatim, and interview notes carry phone numbers, ID-card numbers and
plates. Each pattern is validated where a checksum exists (ID cards), so ordinary long numbers
such as order numbers are not masked by accident.
"""

from __future__ import annotations

import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

_ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}[- ]\d{7,8}|0\d{2,3}\d{7,8}(?=\D|$)|\(0\d{2,3}\)\d{7,8})(?!\d)")
_PLATE = re.compile(
    rf"[{_PLATE_PROVINCES}][A-HJ-NP-Z][·•\.\- ]?(?:[DF][A-HJ-NP-Z0-9]{{5}}|[A-HJ-NP-Z0-9]{{5}}[DF]?|[A-HJ-NP-Z0-9]{{4}}[挂学警港澳])"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")

MASKS = {"id_card": "[身份证号]", "phone": "[电话]", "plate": "[车牌]", "email": "[邮箱]"}


def is_valid_id_card(number: str) -> bool:
    """Mainland resident ID: 18 characters, plausible birth date, and the ISO 7064 check digit."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if not (1900 <= year <= 2030 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def redact(text: str) -> str:
    """Mask ID-card numbers, phone numbers, plates and e-mail addresses in ``text``."""
    if not text:
        return text
    text = _ID_CARD.sub(lambda m: MASKS["id_card"] if is_valid_id_card(m.group(1)) else m.group(0),
                        text)
    text = _EMAIL.sub(MASKS["email"], text)
    text = _MOBILE.sub(MASKS["phone"], text)
    text = _LANDLINE.sub(MASKS["phone"], text)
    return _PLATE.sub(MASKS["plate"], text)
