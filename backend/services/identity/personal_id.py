"""The 12-digit personal ID number (số định danh cá nhân).

Digits 1-3 are the province of birth registration, digit 4 encodes sex and
century, digits 5-6 are the last two digits of the birth year, digits 7-12 a
random serial. Validation checks every part so a mistyped ID is refused with a
reason the citizen can act on, before anything is looked up.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backend import canonical, messages

# Province codes of birth registration (the 63 provinces and cities).
PROVINCES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

# Digit 4: even for male, odd for female; the pair says the century.
_CENTURY_START = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100,
                  6: 2200, 7: 2200, 8: 2300, 9: 2300}


class InvalidPersonalId(ValueError):
    """Carries a machine reason and its parameters; the words are in the catalogue."""

    def __init__(self, reason: str, **params: str):
        self.reason = reason
        self.params = params
        super().__init__(self.message_en)

    def message(self, language: str) -> str:
        return messages.text(f"personal_id.{self.reason}", language, **self.params)

    @property
    def message_vi(self) -> str:
        return self.message("vi")

    @property
    def message_en(self) -> str:
        return self.message("en")


@dataclass(frozen=True)
class PersonalIdParts:
    province_code: str
    sex: str  # "male" | "female"
    birth_year: int
    serial: str


def masked(personal_id: str) -> str:
    """For a page that must tell people apart without showing who: the last three
    digits, as the logs show them."""
    return "*" * (len(personal_id) - 3) + personal_id[-3:]


def parse(personal_id: str, today: date | None = None) -> PersonalIdParts:
    """Split a personal ID into its parts or raise InvalidPersonalId."""
    today = today or date.today()
    if not canonical.is_digits(personal_id, 12):
        raise InvalidPersonalId("format")
    province_code = personal_id[:3]
    if province_code not in PROVINCES:
        raise InvalidPersonalId("province", province_code=province_code)
    sex_century = int(personal_id[3])
    birth_year = _CENTURY_START[sex_century] + int(personal_id[4:6])
    if birth_year > today.year:
        raise InvalidPersonalId("birth_year")
    return PersonalIdParts(province_code=province_code,
                           sex="male" if sex_century % 2 == 0 else "female",
                           birth_year=birth_year, serial=personal_id[6:])


def compose(province_code: str, sex: str, birth_year: int, serial: str) -> str:
    """Build the personal ID a person with these attributes would carry."""
    century_digit = (birth_year // 100 - 19) * 2 + (1 if sex == "female" else 0)
    if province_code not in PROVINCES or not 0 <= century_digit <= 9:
        raise ValueError("cannot encode this person in a personal ID")
    if not canonical.is_digits(serial, 6):
        raise ValueError("serial must be 6 digits")
    return f"{province_code}{century_digit}{birth_year % 100:02d}{serial}"


def agrees_with(personal_id: str, province_code: str, sex: str, date_of_birth: date) -> bool:
    """True when the ID's encoded parts match a register record."""
    try:
        parts = parse(personal_id)
    except InvalidPersonalId:
        return False
    return (parts.province_code == province_code and parts.sex == sex
            and parts.birth_year == date_of_birth.year)
