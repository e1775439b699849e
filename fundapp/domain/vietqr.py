"""The VietQR payload (NAPAS, on EMVCo's Merchant-Presented QR) that a bank app reads to fill a transfer.

Built from the EMVCo QRCPS-MPM v1.1 fields, each ``ID (2 digits) + length (2 digits) + value``, as NAPAS's
VietQR specification uses them for a transfer to an account:

- ``00`` Payload Format Indicator = "01"
- ``01`` Point of Initiation Method = "12" (dynamic: carries an amount) or "11" (static: no amount)
- ``38`` Merchant Account Information, NAPAS template: ``00`` GUID "A000000727"; ``01`` beneficiary organisation
  (``00`` the bank's acquirer BIN, 6 digits; ``01`` the account number); ``02`` service code "QRIBFTTA"
  (transfer to an account)
- ``53`` Transaction Currency = "704" (VND, ISO 4217); ``54`` Transaction Amount (whole đồng, digits only)
- ``58`` Country Code = "VN"
- ``62`` Additional Data Field Template: ``08`` Purpose of Transaction (the transfer note, ≤ 25 characters)
- ``63`` CRC: CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over the payload up to and including "6304",
  four upper-case hex digits.

Pure Python: no I/O. The note is folded to ASCII (banks' transfer notes take no diacritics).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

GUID = "A000000727"
SERVICE = "QRIBFTTA"
NOTE_MAX = 25


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE of ``data`` (poly 0x1021, init 0xFFFF, no reflection, no final xor): "123456789" → 0x29B1."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def _field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"VietQR field {tag} longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def _folded(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    kept = "".join(c for c in text if c.isalnum() or c in " -/.")
    return " ".join(kept.split())


def ascii_note(text: str) -> str:
    """``text`` without diacritics (đ → d), only letters, digits, space and - / . kept, at most 25 characters
    (``NOTE_MAX``, the field's limit: a longer text is cut; papers build their note with ``transfer_note``)."""
    return _folded(text)[:NOTE_MAX].strip()


def transfer_note(parts: Sequence[str]) -> str:
    """The transfer note of a paper's code: ``parts`` (most telling first: the paper's number, then the loan's number
    or the borrower's code) folded to ASCII as ``ascii_note`` folds them and joined by spaces, each whole part that
    still fits the field's ``NOTE_MAX`` (25) characters kept, one that does not left out whole — never cut in the
    middle of a number. «08/TB-QHT KH0009»; "" when none fits. A note cut at 25 characters read «HD2022-022
    HD2022-028 08/» on a notice to a borrower with two loans, the notice's number lost (an officer's trial)."""
    note = ""
    for part in parts:
        folded = _folded(part)
        joined = f"{note} {folded}".strip()
        if folded and len(joined) <= NOTE_MAX:
            note = joined
    return note


def payload(bank_bin: str, account: str, amount: int | None, note: str) -> str:
    """The VietQR text for a transfer of ``amount`` đồng (None or 0: the payer types it) to ``account`` at the bank
    whose NAPAS BIN is ``bank_bin`` (6 digits), with the transfer note ``note`` (folded by ``ascii_note``).
    Raises ValueError for a BIN that is not 6 ASCII digits, an empty or over-long account or one not of ASCII letters
    and digits («９７０４０５» is digits to str.isdigit, and no QR holds it), or a negative amount."""
    if not (len(bank_bin) == 6 and bank_bin.isascii() and bank_bin.isdigit()):
        raise ValueError("the bank BIN is 6 digits")
    if not account or len(account) > 19 or not account.isascii() or not account.isalnum():
        raise ValueError("the account is 1–19 letters or digits")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int) or amount < 0):
        raise ValueError("the amount is a non-negative int of đồng")
    beneficiary = _field("00", bank_bin) + _field("01", account)
    merchant = _field("00", GUID) + _field("01", beneficiary) + _field("02", SERVICE)
    text = _field("00", "01") + _field("01", "12" if amount else "11") + _field("38", merchant) + _field("53", "704")
    if amount:
        text += _field("54", str(amount))
    text += _field("58", "VN")
    clean = ascii_note(note)
    if clean:
        text += _field("62", _field("08", clean))
    text += "6304"
    return text + f"{crc16_ccitt_false(text.encode('ascii')):04X}"


def parse(text: str) -> dict[str, object]:
    """The TLV fields of a payload: {"00": "01", "38": {"00": …, "01": {"00": BIN, "01": account}, …}, …}; the
    templates 38 and 62 (and 38's 01) parsed into dicts. Raises ValueError on a malformed text."""

    def tlv(s: str) -> dict[str, str]:
        out, i = {}, 0
        while i < len(s):
            if i + 4 > len(s):
                raise ValueError("truncated VietQR field")
            tag, n = s[i:i + 2], int(s[i + 2:i + 4])
            out[tag] = s[i + 4:i + 4 + n]
            if len(out[tag]) != n:
                raise ValueError("truncated VietQR value")
            i += 4 + n
        return out

    fields: dict[str, object] = dict(tlv(text))
    if "38" in fields:
        merchant: dict[str, object] = dict(tlv(str(fields["38"])))
        if "01" in merchant:
            merchant["01"] = tlv(str(merchant["01"]))
        fields["38"] = merchant
    if "62" in fields:
        fields["62"] = tlv(str(fields["62"]))
    return fields


def crc_ok(text: str) -> bool:
    """True when the payload's last field is "63" "04" and its CRC matches the text before it."""
    return len(text) > 8 and text[-8:-4] == "6304" and \
        f"{crc16_ccitt_false(text[:-4].encode('ascii')):04X}" == text[-4:]
