//! Coupon codes made from a mask (docs/decisions.md, "Discounts, second part"): in a mask,
//! `#` stands for a digit and `?` for a capital letter; every other character (letters, digits,
//! `_`, `-`) stands for itself, upper-cased, since codes match ignoring case. `SALE-####-????`
//! makes codes like `SALE-0427-QKBW`.

const DIGITS: &[u8] = b"0123456789";
const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// Random bytes [`fill`] reads per placeholder (a `u32`: the modulo bias is below 10⁻⁸).
pub const BYTES_PER_HOLE: usize = 4;

/// The placeholders of a mask.
pub fn holes(mask: &str) -> usize {
    mask.chars().filter(|&c| c == '#' || c == '?').count()
}

/// How many different codes a mask can make (saturating at `u128::MAX`).
pub fn space(mask: &str) -> u128 {
    mask.chars().fold(1_u128, |n, c| match c {
        '#' => n.saturating_mul(10),
        '?' => n.saturating_mul(26),
        _ => n,
    })
}

/// The code `random` makes of `mask`; `None` when `random` has fewer than
/// `BYTES_PER_HOLE × holes(mask)` bytes.
pub fn fill(mask: &str, random: &[u8]) -> Option<String> {
    let mut chunks = random.chunks_exact(BYTES_PER_HOLE);
    let mut pick = |set: &[u8]| -> Option<char> {
        let b = chunks.next()?;
        let n = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let i = usize::try_from(n).ok()? % set.len();
        Some(char::from(set[i]))
    };
    mask.chars()
        .map(|c| match c {
            '#' => pick(DIGITS),
            '?' => pick(LETTERS),
            other => Some(other.to_ascii_uppercase()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_fill_digits_and_letters_and_keep_the_rest() {
        let random: Vec<u8> = (0_u8..32).collect();
        let code = fill("sale-##-??", &random).unwrap();
        assert_eq!(code.len(), 10);
        assert!(code.starts_with("SALE-"));
        let b = code.as_bytes();
        assert!(b[5].is_ascii_digit() && b[6].is_ascii_digit());
        assert!(b[8].is_ascii_uppercase() && b[9].is_ascii_uppercase());
        assert_eq!(fill("##", &random[..7]), None, "too few bytes");
        assert_eq!(space("A-##??"), 100 * 26 * 26);
        assert_eq!(holes("A-##??"), 4);
    }

    proptest::proptest! {
        #[test]
        fn every_code_fits_its_mask(random in proptest::collection::vec(0_u8..=255, 32)) {
            let code = fill("X#?#?-#?#?", &random).unwrap();
            for (m, c) in "X#?#?-#?#?".chars().zip(code.chars()) {
                match m {
                    '#' => proptest::prop_assert!(c.is_ascii_digit()),
                    '?' => proptest::prop_assert!(c.is_ascii_uppercase()),
                    _ => proptest::prop_assert_eq!(m, c),
                }
            }
        }
    }
}
