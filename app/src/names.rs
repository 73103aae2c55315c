//! Enumerated values written once. [`stored_enum!`] declares an enum with the text each
//! variant is stored and sent as, and gives it `ALL`, `as_str`, `parse` (`None` for a text
//! no variant has) and `Display`; on the server it also gives the sea-orm value traits, so
//! an entity's column holds the enum itself and a stored text that no variant has is an
//! error when the row is read, never quietly a default.

/// Declares an enum whose variants are stored as text: `Name = "text"` per variant.
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [Self; [$($text),+].len()] = [$(Self::$variant),+];

            /// The text it is stored and sent as.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            /// The variant stored as `text`, if any.
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[cfg(feature = "ssr")]
        impl From<$name> for sea_orm::Value {
            fn from(value: $name) -> Self {
                value.as_str().to_owned().into()
            }
        }

        #[cfg(feature = "ssr")]
        impl sea_orm::TryGetable for $name {
            fn try_get_by<I: sea_orm::ColIdx>(
                res: &sea_orm::QueryResult,
                index: I,
            ) -> Result<Self, sea_orm::TryGetError> {
                let text = <String as sea_orm::TryGetable>::try_get_by(res, index)?;
                Self::parse(&text).ok_or_else(|| {
                    sea_orm::TryGetError::DbErr(sea_orm::DbErr::Type(format!(
                        "{text:?} is not a stored {}",
                        stringify!($name)
                    )))
                })
            }
        }

        #[cfg(feature = "ssr")]
        impl sea_orm::sea_query::ValueType for $name {
            fn try_from(value: sea_orm::Value) -> Result<Self, sea_orm::sea_query::ValueTypeErr> {
                let text = <String as sea_orm::sea_query::ValueType>::try_from(value)?;
                Self::parse(&text).ok_or(sea_orm::sea_query::ValueTypeErr)
            }

            fn type_name() -> String {
                stringify!($name).to_owned()
            }

            fn array_type() -> sea_orm::sea_query::ArrayType {
                sea_orm::sea_query::ArrayType::String
            }

            fn column_type() -> sea_orm::sea_query::ColumnType {
                sea_orm::sea_query::ColumnType::String(sea_orm::sea_query::StringLen::None)
            }
        }

        #[cfg(feature = "ssr")]
        impl sea_orm::sea_query::Nullable for $name {
            fn null() -> sea_orm::Value {
                <String as sea_orm::sea_query::Nullable>::null()
            }
        }

        // A key column's type must say how an auto-increment id would convert: never.
        #[cfg(feature = "ssr")]
        impl sea_orm::TryFromU64 for $name {
            fn try_from_u64(_: u64) -> Result<Self, sea_orm::DbErr> {
                Err(sea_orm::DbErr::ConvertFromU64(stringify!($name)))
            }
        }

        #[cfg(feature = "ssr")]
        impl sea_orm::IntoActiveValue<$name> for $name {
            fn into_active_value(self) -> sea_orm::ActiveValue<$name> {
                sea_orm::ActiveValue::Set(self)
            }
        }
    };
}

pub(crate) use stored_enum;

#[cfg(test)]
mod tests {
    stored_enum! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Fruit {
            Apple = "apple",
            BloodOrange = "blood_orange",
        }
    }

    #[test]
    fn each_variant_reads_back_from_its_text_and_nothing_else_does() {
        assert_eq!(Fruit::ALL, [Fruit::Apple, Fruit::BloodOrange]);
        for fruit in Fruit::ALL {
            assert_eq!(Fruit::parse(fruit.as_str()), Some(fruit));
            assert_eq!(fruit.to_string(), fruit.as_str());
        }
        assert_eq!(Fruit::parse("Apple"), None);
        assert_eq!(Fruit::parse(""), None);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn an_unknown_stored_text_is_an_error_not_a_default() {
        use sea_orm::sea_query::ValueType;
        assert_eq!(
            <Fruit as ValueType>::try_from(sea_orm::Value::from("blood_orange")).ok(),
            Some(Fruit::BloodOrange)
        );
        assert!(<Fruit as ValueType>::try_from(sea_orm::Value::from("kiwi")).is_err());
        assert_eq!(
            sea_orm::Value::from(Fruit::Apple),
            sea_orm::Value::from("apple")
        );
    }
}
