"""Money as offices write it: stored in yuan, shown in 亿元 from 100 million up, else 万元."""

YI = 100_000_000
WAN = 10_000


def format_yuan(yuan):
    """ "12亿元", "3.5亿元", "3908万元", "0万元"; None gives ""."""
    if yuan is None:
        return ""
    if abs(yuan) >= YI:
        return "{:g}亿元".format(round(yuan / YI, 2))
    return "{:g}万元".format(round(yuan / WAN, 2))
