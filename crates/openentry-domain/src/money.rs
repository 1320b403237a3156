//! Exact money: integer minor units and ISO 4217 exponents. No floats anywhere.

/// Why an amount is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Not a decimal number.
    #[error("\"{0}\" is not an amount (write it like 19.99)")]
    Syntax(String),
    /// More fractional digits than the currency has.
    #[error("\"{0}\" has more decimals than the currency allows ({1})")]
    Precision(String, u32),
    /// Negative amounts are not prices.
    #[error("\"{0}\" is negative")]
    Negative(String),
    /// Out of range.
    #[error("the amount is too large")]
    Overflow,
    /// Two currencies in one sum.
    #[error("{0} and {1} cannot be added")]
    Mixed(&'static str, &'static str),
    /// Unknown currency code.
    #[error("\"{0}\" is not a supported ISO 4217 currency code")]
    Currency(String),
}

/// A currency we accept: its ISO 4217 code and exponent, known once parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    exponent: u32,
}

impl Currency {
    /// The currency with this code (`USD`); case matters, as in ISO 4217.
    pub fn parse(code: &str) -> Result<Self, MoneyError> {
        let (code, exponent) = lookup(code)?;
        Ok(Self { code, exponent })
    }

    /// The ISO 4217 code.
    pub fn code(self) -> &'static str {
        self.code
    }

    /// Digits after the decimal point.
    pub fn exponent(self) -> u32 {
        self.exponent
    }
}

impl std::fmt::Display for Currency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code)
    }
}

/// An exact amount: minor units of a parsed currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    /// Minor units (cents for USD).
    pub minor: i64,
    /// The currency.
    pub currency: Currency,
}

impl Money {
    /// `minor` units of `currency`.
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Zero of `currency`.
    pub fn zero(currency: Currency) -> Self {
        Self::new(0, currency)
    }

    /// A stored amount: minor units and a currency code that must be one we accept.
    pub fn stored(minor: i64, code: &str) -> Result<Self, MoneyError> {
        Ok(Self::new(minor, Currency::parse(code)?))
    }

    /// Parses a decimal (`"19.99"`) in `currency`; see [`parse`].
    pub fn parse(text: &str, currency: Currency) -> Result<Self, MoneyError> {
        Ok(Self::new(parse(text, currency.exponent)?, currency))
    }

    /// `self + other`, in one currency.
    pub fn checked_add(self, other: Self) -> Result<Self, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::Mixed(self.currency.code, other.currency.code));
        }
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Self::new(minor, self.currency))
    }

    /// `self × n` (a unit price times a quantity).
    pub fn checked_mul(self, n: i64) -> Result<Self, MoneyError> {
        let minor = self.minor.checked_mul(n).ok_or(MoneyError::Overflow)?;
        Ok(Self::new(minor, self.currency))
    }

    /// The wire text of an amount, a JSON number's digits: the shortest decimal (`400`,
    /// `19.9`), as the SDK's prices and totals are written.
    pub fn wire(self) -> String {
        format_short(self.minor, self.currency.exponent)
    }

    /// With exactly the currency's decimals (`400.00`), as stored orders' `totalSum` is written.
    pub fn fixed(self) -> String {
        format_fixed(self.minor, self.currency.exponent)
    }
}

/// Digits after the decimal point (ISO 4217 minor unit) for the currencies we accept.
pub fn exponent(code: &str) -> Result<u32, MoneyError> {
    lookup(code).map(|(_, e)| e)
}

fn lookup(code: &str) -> Result<(&'static str, u32), MoneyError> {
    const ZERO: &[&str] = &[
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV",
        "XAF", "XOF", "XPF",
    ];
    const THREE: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];
    const TWO: &[&str] = &[
        "AED", "ARS", "AUD", "BGN", "BRL", "CAD", "CHF", "CNY", "COP", "CZK", "DKK", "EGP", "EUR",
        "GBP", "GEL", "HKD", "HUF", "IDR", "ILS", "INR", "KZT", "MAD", "MXN", "MYR", "NGN", "NOK",
        "NZD", "PHP", "PKR", "PLN", "QAR", "RON", "RSD", "RUB", "SAR", "SEK", "SGD", "THB", "TRY",
        "TWD", "UAH", "USD", "UZS", "ZAR",
    ];
    [(ZERO, 0), (THREE, 3), (TWO, 2)]
        .into_iter()
        .find_map(|(list, exp)| list.iter().find(|c| **c == code).map(|c| (*c, exp)))
        .ok_or_else(|| MoneyError::Currency(code.to_owned()))
}

fn pow10(exp: u32) -> i64 {
    10_i64.pow(exp)
}

/// Parses a non-negative decimal (`"19.99"`, `"400"`) into minor units of a currency with
/// `exp` decimals. More decimals than the currency has is an error, never a rounding.
pub fn parse(text: &str, exp: u32) -> Result<i64, MoneyError> {
    let t = text.trim();
    if t.starts_with('-') {
        return Err(MoneyError::Negative(text.to_owned()));
    }
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || (t.contains('.') && frac.is_empty()) {
        return Err(MoneyError::Syntax(text.to_owned()));
    }
    let frac = frac.trim_end_matches('0');
    let frac_len = u32::try_from(frac.len()).map_err(|_| MoneyError::Overflow)?;
    if frac_len > exp {
        return Err(MoneyError::Precision(text.to_owned(), exp));
    }
    let whole: i64 = whole.parse().map_err(|_| MoneyError::Overflow)?;
    let frac_value: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| MoneyError::Overflow)?
    };
    whole
        .checked_mul(pow10(exp))
        .and_then(|w| w.checked_add(frac_value * pow10(exp - frac_len)))
        .ok_or(MoneyError::Overflow)
}

/// Minor units as a decimal with exactly `exp` decimals (`40000, 2` → `"400.00"`).
pub fn format_fixed(minor: i64, exp: u32) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if exp == 0 {
        return format!("{sign}{abs}");
    }
    let p = 10_u64.pow(exp);
    format!(
        "{sign}{}.{:0width$}",
        abs / p,
        abs % p,
        width = exp as usize
    )
}

/// Minor units as the shortest decimal (`40000, 2` → `"400"`, `1990, 2` → `"19.9"`): the text
/// of a JSON number on the wire.
pub fn format_short(minor: i64, exp: u32) -> String {
    let fixed = format_fixed(minor, exp);
    if exp == 0 {
        return fixed;
    }
    fixed.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly() {
        assert_eq!(parse("400", 2), Ok(40000));
        assert_eq!(parse("19.99", 2), Ok(1999));
        assert_eq!(parse("19.90", 2), Ok(1990));
        assert_eq!(parse("0.5", 3), Ok(500));
        assert_eq!(parse("1500", 0), Ok(1500));
        assert!(matches!(parse("19.999", 2), Err(MoneyError::Precision(..))));
        assert!(matches!(parse("1.5", 0), Err(MoneyError::Precision(..))));
        assert!(matches!(parse("-1", 2), Err(MoneyError::Negative(_))));
        for bad in ["", "1.", ".5", "1e3", "abc", "1,5"] {
            assert!(matches!(parse(bad, 2), Err(MoneyError::Syntax(_))), "{bad}");
        }
        assert_eq!(parse("99999999999999999999", 2), Err(MoneyError::Overflow));
    }

    #[test]
    fn formats_for_the_wire() {
        assert_eq!(format_fixed(40000, 2), "400.00");
        assert_eq!(format_fixed(5, 2), "0.05");
        assert_eq!(format_fixed(1500, 0), "1500");
        assert_eq!(format_fixed(1, 3), "0.001");
        assert_eq!(format_short(40000, 2), "400");
        assert_eq!(format_short(1990, 2), "19.9");
        assert_eq!(format_short(0, 2), "0");
    }

    fn usd() -> Currency {
        Currency::parse("USD").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn money_is_exact_and_single_currency() {
        let price = Money::parse("19.99", usd());
        assert_eq!(price, Ok(Money::new(1999, usd())));
        let total = price.and_then(|p| p.checked_mul(3));
        assert_eq!(total.map(Money::wire).as_deref(), Ok("59.97"));
        assert_eq!(Money::new(40000, usd()).wire(), "400");
        assert_eq!(Money::new(40000, usd()).fixed(), "400.00");
        let yen = Money::stored(5, "JPY");
        assert!(matches!(
            yen.and_then(|y| Money::zero(usd()).checked_add(y)),
            Err(MoneyError::Mixed("USD", "JPY"))
        ));
        assert_eq!(
            Money::stored(1, "usd"),
            Err(MoneyError::Currency("usd".into()))
        );
        assert_eq!(
            Money::new(i64::MAX, usd()).checked_add(Money::new(1, usd())),
            Err(MoneyError::Overflow)
        );
    }

    proptest::proptest! {
        #[test]
        fn wire_text_parses_back(minor in 0_i64..1_000_000_000_000, code in proptest::sample::select(vec!["USD", "JPY", "KWD"])) {
            let c = Currency::parse(code).unwrap_or_else(|e| panic!("{e}"));
            let m = Money::new(minor, c);
            proptest::prop_assert_eq!(Money::parse(&m.wire(), c), Ok(m));
            proptest::prop_assert_eq!(Money::parse(&m.fixed(), c), Ok(m));
        }

        #[test]
        fn sums_never_wrap(a in proptest::num::i64::ANY, b in proptest::num::i64::ANY) {
            let sum = Money::new(a, usd()).checked_add(Money::new(b, usd()));
            proptest::prop_assert_eq!(sum.ok().map(|m| m.minor), a.checked_add(b));
        }
    }

    #[test]
    fn exponents() {
        assert_eq!(exponent("USD"), Ok(2));
        assert_eq!(exponent("JPY"), Ok(0));
        assert_eq!(exponent("KWD"), Ok(3));
        assert!(exponent("usd").is_err());
    }
}
