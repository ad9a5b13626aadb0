"""Patterns that identify whoever they belong to: NHS numbers, National Insurance numbers,
postcodes, phone numbers, email addresses, and any full date written as a date of birth."""

import re


def nhs_number_is_valid(digits: str) -> bool:
    """NHS Digital's modulus 11 check: weights 10 to 2 on the first nine digits; the check digit
    is 11 minus the remainder (11 counts as 0; 10 means the number cannot exist)."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    weights = range(10, 1, -1)
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], weights, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


_NI_BAD_FIRST = set("dfiquv")
_NI_BAD_SECOND = set("dfioquv")
_NI_BAD_PREFIXES = {"bg", "gb", "kn", "nk", "nt", "tn", "zz"}


def ni_number_is_valid(prefix: str) -> bool:
    """HMRC's rules for the two prefix letters of a National Insurance number."""
    prefix = prefix.lower()
    return (
        prefix[0] not in _NI_BAD_FIRST
        and prefix[1] not in _NI_BAD_SECOND
        and prefix not in _NI_BAD_PREFIXES
    )


_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_FULL_DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_WORD},?\s+\d{{4}}"
    rf"|{_MONTH_WORD}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
PATTERNS = {
    "nhs_number": (
        "An NHS number",
        re.compile(r"(?<![\d])(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?![\d])"),
    ),
    "ni_number": (
        "A National Insurance number",
        re.compile(r"(?<![a-z0-9])([a-z]{2})\s?(\d{2})\s?(\d{2})\s?(\d{2})\s?([a-d])(?![a-z0-9])"),
    ),
    "email": (
        "An email address",
        re.compile(r"(?<![a-z0-9._%+\-])[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+"),
    ),
    "phone": (
        "A phone number",
        re.compile(
            r"(?<![\d+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?[\s\-]?\d{3,4}[\s\-]?\d{3,4}(?!\d)"
        ),
    ),
    "postcode": (
        "A postcode",
        re.compile(
            r"(?<![a-z0-9])(?:gir\s?0aa|[a-pr-uwyz][a-hk-y]?\d[a-z\d]?\s?\d[abd-hjlnp-uw-z]{2})"
            r"(?![a-z0-9])"
        ),
    ),
    "date_of_birth": (
        "A date of birth",
        re.compile(rf"(?:\bborn\b|\bbirth\b|\bdob\b|\bd\.o\.b\b\.?)[^.;\n]{{0,40}}?({_FULL_DATE})"),
    ),
}


def _phone_digits_ok(matched: str) -> bool:
    digits = re.sub(r"\D", "", matched)
    if matched.lstrip().startswith("+44"):
        digits = "0" + digits[2:].removeprefix("0")
    return digits.startswith("0") and len(digits) in (10, 11)


def pattern_matches(folded: str) -> list[tuple[int, int, str, str]]:
    """(start, end, rule, label) of every pattern found in folded text; where two overlap (a
    10-digit phone number with a valid NHS check digit) the first rule listed wins."""
    found: list[tuple[int, int, str, str]] = []
    for rule, (label, pattern) in PATTERNS.items():
        for match in pattern.finditer(folded):
            start, end = match.span()
            if rule == "nhs_number" and not nhs_number_is_valid("".join(match.groups())):
                continue
            if rule == "ni_number" and not ni_number_is_valid(match.group(1)):
                continue
            if rule == "phone" and not _phone_digits_ok(match.group()):
                continue
            if rule == "date_of_birth":
                start, end = match.span(1)
            if any(s < end and start < e for s, e, _, _ in found):
                continue
            found.append((start, end, rule, label))
    return sorted(found)
