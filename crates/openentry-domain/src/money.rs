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
    /// Unknown currency code.
    #[error("\"{0}\" is not a supported ISO 4217 currency code")]
    Currency(String),
}

/// Digits after the decimal point (ISO 4217 minor unit) for the currencies we accept.
pub fn exponent(code: &str) -> Result<u32, MoneyError> {
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
    if ZERO.contains(&code) {
        Ok(0)
    } else if THREE.contains(&code) {
        Ok(3)
    } else if TWO.contains(&code) {
        Ok(2)
    } else {
        Err(MoneyError::Currency(code.to_owned()))
    }
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

    #[test]
    fn exponents() {
        assert_eq!(exponent("USD"), Ok(2));
        assert_eq!(exponent("JPY"), Ok(0));
        assert_eq!(exponent("KWD"), Ok(3));
        assert!(exponent("usd").is_err());
    }
}
