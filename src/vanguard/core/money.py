"""Money as offices write it: stored in yuan, shown in 亿元 from 100 million up, else 万元."""

YI = 100_000_000
WAN = 10_000


def format_yuan(yuan):
    """ "12亿元", "3.5亿元", "3908万元", "0万元"; None gives ""."""
    if yuan is None:
        return ""
    if abs(yuan) >= YI:
        return "{}亿元".format(_plain(yuan / YI))
    return "{}万元".format(_plain(yuan / WAN))


def format_wan(yuan):
    """Always in 万元 ("3908万元", "120000万元"): for columns whose rows must compare."""
    if yuan is None:
        return ""
    return "{}万元".format(_plain(yuan / WAN))


def _plain(amount):
    """Up to two decimals, trailing zeros dropped, never in scientific notation."""
    return "{:.2f}".format(round(amount, 2)).rstrip("0").rstrip(".")
