"""Cell neutralisation against spreadsheet formula injection.

Quotes and labels come from what workers wrote on forums and in questionnaires, so a post that
starts with ``=HYPERLINK(...)`` or ``@SUM(...)`` must never become a live formula when a report
writer opens the Excel or CSV file. We follow the OWASP CSV-injection guidance: prefix such a
string with a single quote so spreadsheet programs show it as text.
"""

from __future__ import annotations

from typing import Final, TypeVar

# First characters that make Excel, WPS or LibreOffice treat a cell as a formula (or, for tab and
# carriage return, that can be used to smuggle one past naive checks).
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")


def neutralize_cell(value: T) -> T | str:
    """Return ``value`` unchanged unless it is a string a spreadsheet would run as a formula.

    Only strings are touched: numbers stay numeric types so that counts and shares remain
    sortable and summable in Excel (a negative number is data, not an attack).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
