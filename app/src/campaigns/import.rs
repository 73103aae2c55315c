//! Reading a list of recipients: a CSV file read row by row (never whole), its columns
//! mapped to what they hold by their headers (or as the person chose), each number read
//! as E.164 with the campaign's default country for numbers written without one. A row
//! that cannot be used is kept with its number and the reason; a number seen before in the
//! list is merged into the first.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::phone::E164;

/// What a column holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum ColumnUse {
    Phone,
    FirstName,
    LastName,
    /// A whole name, when the list has no first and last.
    Name,
    Email,
    Company,
    /// An IANA zone name for the recipient.
    TimeZone,
    /// A variable for the agent's `{{placeholders}}`, under this name.
    Variable(String),
    Skip,
}

impl ColumnUse {
    /// The variable a column's value is stored under, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Phone => Some("phone_number"),
            Self::FirstName => Some("first_name"),
            Self::LastName => Some("last_name"),
            Self::Name => Some("full_name"),
            Self::Email => Some("email"),
            Self::Company => Some("company"),
            Self::Variable(name) => Some(name),
            Self::TimeZone | Self::Skip => None,
        }
    }

    /// The word `?map=` names this use by (`upload::parse_map` reads it back).
    pub fn token(&self) -> String {
        match self {
            Self::Phone => "phone".into(),
            Self::FirstName => "first_name".into(),
            Self::LastName => "last_name".into(),
            Self::Name => "name".into(),
            Self::Email => "email".into(),
            Self::Company => "company".into(),
            Self::TimeZone => "time_zone".into(),
            Self::Variable(name) => format!("var:{name}"),
            Self::Skip => "skip".into(),
        }
    }
}

/// A header as a variable name: lower case, runs of anything but letters and digits as
/// one underscore (`Account Balance` → `account_balance`).
pub fn variable_name(header: &str) -> String {
    let mut out = String::new();
    for c in header.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_owned();
    match out.chars().next() {
        Some(c) if c.is_ascii_lowercase() => out.chars().take(50).collect(),
        Some(_) => format!("col_{out}").chars().take(50).collect(),
        None => String::new(),
    }
}

/// What a column holds, guessed from its header.
pub fn guess(header: &str) -> ColumnUse {
    let key: String = header
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match key.as_str() {
        "phone" | "phonenumber" | "mobile" | "mobilenumber" | "cell" | "cellphone"
        | "telephone" | "tel" | "number" | "contactnumber" => ColumnUse::Phone,
        "firstname" | "first" | "fname" | "givenname" => ColumnUse::FirstName,
        "lastname" | "last" | "lname" | "surname" | "familyname" => ColumnUse::LastName,
        "name" | "fullname" | "contactname" => ColumnUse::Name,
        "email" | "emailaddress" | "mail" => ColumnUse::Email,
        "company" | "organization" | "organisation" | "org" | "business" | "companyname" => {
            ColumnUse::Company
        }
        "timezone" | "tz" | "zone" => ColumnUse::TimeZone,
        _ => match variable_name(header) {
            name if name.is_empty() => ColumnUse::Skip,
            name => ColumnUse::Variable(name),
        },
    }
}

/// Why a row was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reject {
    MissingPhone,
    InvalidNumber,
    Duplicate,
    BadTimeZone,
    TooLong,
}

impl Reject {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MissingPhone => "missing_phone",
            Self::InvalidNumber => "invalid_number",
            Self::Duplicate => "duplicate",
            Self::BadTimeZone => "bad_time_zone",
            Self::TooLong => "too_long",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::MissingPhone,
            Self::InvalidNumber,
            Self::Duplicate,
            Self::BadTimeZone,
            Self::TooLong,
        ]
        .into_iter()
        .find(|r| r.as_str() == text)
    }
}

/// A row that was not taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    /// The file's row, counting the header as row 1.
    pub row: u32,
    pub phone: String,
    pub reason: Reject,
    pub detail: String,
}

/// A row that was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taken {
    pub row: u32,
    pub phone: E164,
    pub name: Option<String>,
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// As stored: an IANA name, `@` and a country code, or none.
    pub time_zone: Option<String>,
}

pub enum Row {
    Taken(Taken),
    Rejected(Rejected),
}

/// The longest value a cell may hold.
pub const MAX_CELL: usize = 500;
/// The most columns a list may have.
pub const MAX_COLUMNS: usize = 60;

/// Reads rows of one list, remembering the numbers it has seen.
pub struct Reader {
    uses: Vec<ColumnUse>,
    country: phonenumber::country::Id,
    seen: HashMap<String, u32>,
}

impl Reader {
    /// For a list whose columns hold `uses`; numbers without a country code are read as
    /// numbers of `country` (ISO 3166 alpha-2). `None` when the list has no phone column or
    /// the country is unknown (the message says which).
    pub fn new(uses: Vec<ColumnUse>, country: &str) -> Result<Self, String> {
        if !uses.contains(&ColumnUse::Phone) {
            return Err("Choose which column holds the phone numbers.".into());
        }
        if uses.iter().filter(|u| **u == ColumnUse::Phone).count() > 1 {
            return Err("Only one column can hold the phone numbers.".into());
        }
        let country = country
            .parse()
            .map_err(|_| format!("{country:?} is not a country this can read numbers for."))?;
        Ok(Self {
            uses,
            country,
            seen: HashMap::new(),
        })
    }

    /// Numbers the list already holds (from an earlier import), so they merge too.
    pub fn already_have(&mut self, phones: impl IntoIterator<Item = String>) {
        for phone in phones {
            self.seen.entry(phone).or_insert(0);
        }
    }

    /// Reads one row (`row`: its line in the file, the header being 1).
    pub fn read(&mut self, row: u32, cells: &csv::StringRecord) -> Row {
        let mut phone_text = String::new();
        let mut first = None;
        let mut last = None;
        let mut whole = None;
        let mut zone_text = None;
        let mut fields = serde_json::Map::new();
        for (use_, cell) in self.uses.iter().zip(cells.iter()) {
            let value = cell.trim();
            if value.chars().count() > MAX_CELL {
                return Row::Rejected(Rejected {
                    row,
                    phone: phone_cell(&self.uses, cells),
                    reason: Reject::TooLong,
                    detail: format!("A value is longer than {MAX_CELL} characters."),
                });
            }
            match use_ {
                ColumnUse::Phone => phone_text = value.to_owned(),
                ColumnUse::FirstName => first = Some(value),
                ColumnUse::LastName => last = Some(value),
                ColumnUse::Name => whole = Some(value),
                ColumnUse::TimeZone => zone_text = Some(value),
                _ => {}
            }
            if let Some(field) = use_.field()
                && !value.is_empty()
                && *use_ != ColumnUse::Phone
            {
                fields.insert(field.to_owned(), value.into());
            }
        }
        if phone_text.is_empty() {
            return Row::Rejected(Rejected {
                row,
                phone: String::new(),
                reason: Reject::MissingPhone,
                detail: "The phone number is empty.".into(),
            });
        }
        let Some((phone, region)) = read_number(&phone_text, self.country) else {
            return Row::Rejected(Rejected {
                row,
                detail: format!(
                    "{phone_text:?} is not a valid phone number (numbers without a country code are read as {}).",
                    self.country.as_ref()
                ),
                phone: phone_text,
                reason: Reject::InvalidNumber,
            });
        };
        let time_zone = match zone_text.filter(|z| !z.is_empty()) {
            Some(zone) => match super::window::parse_zone(zone) {
                Some(tz) => Some(tz.name().to_owned()),
                None => {
                    return Row::Rejected(Rejected {
                        row,
                        phone: phone_text,
                        reason: Reject::BadTimeZone,
                        detail: format!(
                            "{zone:?} is not a time zone; use a name like America/Chicago."
                        ),
                    });
                }
            },
            None => region.and_then(|r| super::window::zone_of_country(&r)),
        };
        if let Some(earlier) = self.seen.get(phone.as_str()) {
            return Row::Rejected(Rejected {
                row,
                detail: if *earlier == 0 {
                    format!("{phone} is already on this campaign's list.")
                } else {
                    format!("{phone} is also on row {earlier}; the rows were merged.")
                },
                phone: phone_text,
                reason: Reject::Duplicate,
            });
        }
        self.seen.insert(phone.as_str().to_owned(), row);
        let name = match (
            first.filter(|f| !f.is_empty()),
            last.filter(|l| !l.is_empty()),
        ) {
            (Some(f), Some(l)) => Some(format!("{f} {l}")),
            (Some(one), None) | (None, Some(one)) => Some(one.to_owned()),
            (None, None) => whole.filter(|w| !w.is_empty()).map(str::to_owned),
        };
        if let Some(name) = &name {
            fields
                .entry("full_name")
                .or_insert_with(|| name.clone().into());
        }
        fields.insert("phone_number".into(), phone.as_str().into());
        Row::Taken(Taken {
            row,
            phone,
            name: name.map(|n| n.chars().take(200).collect()),
            fields,
            time_zone,
        })
    }
}

fn phone_cell(uses: &[ColumnUse], cells: &csv::StringRecord) -> String {
    uses.iter()
        .position(|u| *u == ColumnUse::Phone)
        .and_then(|i| cells.get(i))
        .map(|c| c.trim().chars().take(40).collect())
        .unwrap_or_default()
}

/// A number as a list writes it: international (`+` or `00`), or national for `country`;
/// with the country it belongs to.
pub fn read_number(
    text: &str,
    country: phonenumber::country::Id,
) -> Option<(E164, Option<String>)> {
    let cleaned: String = text
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    if cleaned.len() < 4 || cleaned.len() > 20 {
        return None;
    }
    let cleaned = match cleaned.strip_prefix("00") {
        Some(rest) => format!("+{rest}"),
        None => cleaned,
    };
    let number = phonenumber::parse(Some(country), &cleaned).ok()?;
    if !number.is_valid() {
        return None;
    }
    let e164 = E164::parse(&number.format().mode(phonenumber::Mode::E164).to_string())?;
    let region = number.country().id().map(|id| id.as_ref().to_owned());
    Some((e164, region))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader() -> Reader {
        Reader::new(
            [
                "Phone",
                "First Name",
                "last",
                "E-mail",
                "Account Balance",
                "tz",
            ]
            .iter()
            .map(|h| guess(h))
            .collect(),
            "US",
        )
        .unwrap()
    }

    fn row(cells: &[&str]) -> csv::StringRecord {
        csv::StringRecord::from(cells.to_vec())
    }

    #[test]
    fn headers_are_guessed() {
        assert_eq!(guess("Phone Number"), ColumnUse::Phone);
        assert_eq!(guess("mobile"), ColumnUse::Phone);
        assert_eq!(guess("First_Name"), ColumnUse::FirstName);
        assert_eq!(guess("Surname"), ColumnUse::LastName);
        assert_eq!(guess("Organisation"), ColumnUse::Company);
        assert_eq!(guess("Time zone"), ColumnUse::TimeZone);
        assert_eq!(
            guess("Appointment Date"),
            ColumnUse::Variable("appointment_date".into())
        );
        assert_eq!(
            guess("2nd line"),
            ColumnUse::Variable("col_2nd_line".into())
        );
        assert_eq!(guess(" -- "), ColumnUse::Skip);
    }

    #[test]
    fn rows_are_read_normalised_and_merged() {
        let mut r = reader();
        let Row::Taken(ada) = r.read(
            2,
            &row(&[
                "(415) 555-0100",
                "Ada",
                "Lovelace",
                "ada@example.com",
                "$12.50",
                "",
            ]),
        ) else {
            panic!("taken")
        };
        assert_eq!(ada.phone.as_str(), "+14155550100");
        assert_eq!(ada.name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(ada.fields["account_balance"], "$12.50");
        assert_eq!(ada.fields["first_name"], "Ada");
        assert_eq!(ada.fields["phone_number"], "+14155550100");
        assert_eq!(
            ada.time_zone.as_deref(),
            Some("@US"),
            "the US has many zones"
        );
        let Row::Taken(london) = r.read(3, &row(&["0044 20 7946 0000", "", "", "", "", ""])) else {
            panic!("taken")
        };
        assert_eq!(london.phone.as_str(), "+442079460000");
        assert_eq!(london.time_zone.as_deref(), Some("Europe/London"));
        let Row::Rejected(dup) = r.read(4, &row(&["+1 415 555 0100", "A.", "L.", "", "", ""]))
        else {
            panic!("merged")
        };
        assert_eq!(dup.reason, Reject::Duplicate);
        assert!(dup.detail.contains("row 2"), "{}", dup.detail);
    }

    #[test]
    fn unusable_rows_say_why() {
        let mut r = reader();
        for (cells, reason) in [
            (["", "No", "Phone", "", "", ""], Reject::MissingPhone),
            (["12345", "", "", "", "", ""], Reject::InvalidNumber),
            (
                ["+1 123 555 0100", "", "", "", "", ""],
                Reject::InvalidNumber,
            ),
            (
                ["415 555 0101", "", "", "", "", "Mars/Base"],
                Reject::BadTimeZone,
            ),
        ] {
            let Row::Rejected(rejected) = r.read(9, &row(&cells)) else {
                panic!("{cells:?} was taken")
            };
            assert_eq!(rejected.reason, reason, "{cells:?}");
        }
        let long = "x".repeat(MAX_CELL + 1);
        let Row::Rejected(rejected) = r.read(10, &row(&["415 555 0102", &long, "", "", "", ""]))
        else {
            panic!("taken")
        };
        assert_eq!(rejected.reason, Reject::TooLong);
        // A zone from the list wins over the number's country.
        let Row::Taken(t) = r.read(
            11,
            &row(&["415 555 0103", "", "", "", "", "America/Los_Angeles"]),
        ) else {
            panic!("taken")
        };
        assert_eq!(t.time_zone.as_deref(), Some("America/Los_Angeles"));
    }

    #[test]
    fn a_list_needs_one_phone_column_and_a_known_country() {
        assert!(Reader::new(vec![ColumnUse::Email], "US").is_err());
        assert!(Reader::new(vec![ColumnUse::Phone, ColumnUse::Phone], "US").is_err());
        assert!(Reader::new(vec![ColumnUse::Phone], "XX").is_err());
    }
}
