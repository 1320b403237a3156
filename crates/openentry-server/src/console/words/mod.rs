//! The console's words by area, one table per group of screens (the chrome's own are in
//! `super::i18n`). Every table is searched; a key may appear in only one of them.

mod admin;
mod catalog;
mod content;
mod names;
mod people;

/// key, English, Arabic, French.
pub(crate) type Word = (&'static str, &'static str, &'static str, &'static str);

/// Every area's table, after the chrome's.
pub(crate) const AREAS: &[&[Word]] = &[
    content::WORDS,
    people::WORDS,
    admin::WORDS,
    catalog::WORDS,
    names::WORDS,
];
