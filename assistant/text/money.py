"""Money as Decimal yuan: rounded to the fen (ROUND_HALF_UP), shown as "10,000元（1万元）" or "9,999.50元"."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

FEN = Decimal("0.01")
WAN = Decimal(10000)
HUNDRED = Decimal(100)
# Wide enough for any amount a rule accepts (≤ 10^12 元) and for echoing absurd input back in messages.
_CTX = Context(prec=60)


def to_fen(amount: Decimal) -> Decimal:
    """Round to the fen, half up (the way a bank statement rounds 0.005 元)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP, context=_CTX)


def percent_of(base: Decimal, percent: Decimal) -> Decimal:
    """`percent`% of `base`, rounded once at the end so no intermediate rounding drifts."""
    return to_fen(base * percent / HUNDRED)


def _digits(amount: Decimal) -> str:
    """'12,345.60' / '10,000': thousands separators; fen shown only when not zero."""
    amount = to_fen(amount)
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount:,.2f}"


def _wan(amount: Decimal) -> str:
    """Exact value in 万元 without trailing zeros: 10000 → '1', 355000 → '35.5', 12345.67 → '1.234567'."""
    value = to_fen(amount) / WAN
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text


def format_yuan(amount: Decimal) -> str:
    """'10,000元（1万元）' from 10,000 yuan up; '9,999.50元' below; always rounded to the fen."""
    if not amount.is_finite() or amount.adjusted() > 40:
        return f"{amount:.3E}元"  # only ever an absurd input being echoed back
    amount = to_fen(amount)
    sign = "-" if amount < 0 else ""
    magnitude = abs(amount)
    shown = f"{sign}{_digits(magnitude)}元"
    if magnitude >= WAN:
        shown += f"（{sign}{_wan(magnitude)}万元）"
    return shown


def yuan_str(amount: Decimal) -> str:
    """JSON form of an amount: the Decimal as a string with two decimals ('10000.00')."""
    return str(to_fen(amount))
