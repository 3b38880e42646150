"""The years a schedule can name (plain Python: the calendar and the request checks share it).

Addresses, forms and commands refuse other years with a message instead of failing on
dates the standard library or the database cannot represent.
"""

FIRST_YEAR = 1900
LAST_YEAR = 2100
