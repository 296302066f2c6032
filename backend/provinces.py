"""Viet Nam's provinces since 1 July 2025 (Resolution 202/2025/QH15): 34, merged from
the 63 before. Personal ID numbers, registers and payrolls keep the old 3-digit codes
(an ID's first digits never change), so figures are kept by old code and grouped
into the current provinces for reading.

Each current province is keyed by the old code of the province whose seat it kept.
"""
from __future__ import annotations

# current code: (current name, the old codes merged into it)
CURRENT_PROVINCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "001": ("Hà Nội", ("001",)),
    "004": ("Cao Bằng", ("004",)),
    "008": ("Tuyên Quang", ("008", "002")),
    "011": ("Điện Biên", ("011",)),
    "012": ("Lai Châu", ("012",)),
    "014": ("Sơn La", ("014",)),
    "015": ("Lào Cai", ("010", "015")),
    "019": ("Thái Nguyên", ("019", "006")),
    "020": ("Lạng Sơn", ("020",)),
    "022": ("Quảng Ninh", ("022",)),
    "024": ("Bắc Ninh", ("027", "024")),
    "025": ("Phú Thọ", ("025", "026", "017")),
    "031": ("Hải Phòng", ("031", "030")),
    "033": ("Hưng Yên", ("033", "034")),
    "037": ("Ninh Bình", ("037", "035", "036")),
    "038": ("Thanh Hóa", ("038",)),
    "040": ("Nghệ An", ("040",)),
    "042": ("Hà Tĩnh", ("042",)),
    "044": ("Quảng Trị", ("045", "044")),
    "046": ("Huế", ("046",)),
    "048": ("Đà Nẵng", ("048", "049")),
    "051": ("Quảng Ngãi", ("051", "062")),
    "052": ("Gia Lai", ("064", "052")),
    "056": ("Khánh Hòa", ("056", "058")),
    "066": ("Đắk Lắk", ("066", "054")),
    "068": ("Lâm Đồng", ("068", "067", "060")),
    "075": ("Đồng Nai", ("075", "070")),
    "079": ("TP. Hồ Chí Minh", ("079", "074", "077")),
    "080": ("Tây Ninh", ("072", "080")),
    "082": ("Đồng Tháp", ("087", "082")),
    "086": ("Vĩnh Long", ("086", "083", "084")),
    "091": ("An Giang", ("089", "091")),
    "092": ("Cần Thơ", ("092", "094", "093")),
    "096": ("Cà Mau", ("096", "095")),
}

# old code -> the current province it is part of
CURRENT_OF: dict[str, str] = {old: current for current, (_name, olds) in
                              CURRENT_PROVINCES.items() for old in olds}


def current_name(code: str) -> str:
    return CURRENT_PROVINCES[code][0]
