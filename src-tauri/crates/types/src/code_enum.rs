//! [`code_enum!`]: one declaration per code dictionary.
//!
//! ```
//! yichuang_types::code_enum! {
//!     /// B.8 办件类型.
//!     pub enum ItemType {
//!         Immediate = "1" => "即办件",
//!         Promised = "2" => "承诺件",
//!     }
//! }
//! assert_eq!(ItemType::parse("2"), Some(ItemType::Promised));
//! assert_eq!(ItemType::Promised.as_str(), "2");
//! assert_eq!(ItemType::Immediate.label(), "即办件");
//! assert_eq!(ItemType::ALL.len(), 2);
//! ```
//!
//! The enum serializes to its code (serde), has a TypeScript binding (ts-rs: add
//! `#[ts(export)]` to write it) and, with the `sqlx` feature, is stored as its code in a TEXT
//! column. The caller needs `yichuang-types` as a dependency, nothing else.

/// What every code enum offers, for code that handles any dictionary (the UI label export,
/// workbook columns).
pub trait CodeEnum: Sized + Copy + 'static {
    /// The type's name, as its TypeScript binding is named.
    const NAME: &'static str;
    /// Every value, in declaration order.
    fn all() -> &'static [Self];
    /// The code on the wire and in the store.
    fn as_str(self) -> &'static str;
    /// The Chinese name.
    fn label(self) -> &'static str;
    /// Parses a code.
    fn parse(code: &str) -> Option<Self>;
}

/// Declares a code enum: each variant with its code and its Chinese label.
///
/// Gives `ALL` (an array, in declaration order unless `all = [...]` follows the variants), `as_str`/`code`, `parse`/`from_code`,
/// `label`, `Display` (the label), serde (the code), ts-rs, [`CodeEnum`](crate::CodeEnum) and,
/// with the types crate's `sqlx` feature, the sqlx type (TEXT). `#[code_enum(parse_trimmed)]`,
/// first, makes `parse` ignore surrounding white space.
#[macro_export]
macro_rules! code_enum {
    (
        @parse [$trim:literal]
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal => $label:literal ),+ $(,)?
        }
        $( all = [ $($all:ident),+ $(,)? ] )?
    ) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            $crate::__private::serde::Serialize,
            $crate::__private::serde::Deserialize,
            $crate::__private::ts_rs::TS,
        )]
        #[serde(crate = "yichuang_types::__private::serde")]
        #[ts(crate = "yichuang_types::__private::ts_rs")]
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] =
                $crate::__code_enum_all!($name; [$($variant),+] $(; [$($all),+])?);

            /// The code on the wire and in the store.
            pub const fn as_str(self) -> &'static str {
                match self { $( $name::$variant => $code, )+ }
            }

            /// The code on the wire and in the store (the spec's 代码值).
            pub const fn code(self) -> &'static str {
                self.as_str()
            }

            /// The Chinese name of the code (代码名称).
            pub const fn label(self) -> &'static str {
                match self { $( $name::$variant => $label, )+ }
            }

            /// Parses a code.
            pub fn parse(code: &str) -> Option<Self> {
                let code = if $trim { code.trim() } else { code };
                match code { $( $code => Some($name::$variant), )+ _ => None }
            }

            /// Parses a code (the spec's 代码值).
            pub fn from_code(code: &str) -> Option<Self> {
                Self::parse(code)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl $crate::CodeEnum for $name {
            const NAME: &'static str = stringify!($name);
            fn all() -> &'static [Self] {
                &$name::ALL
            }
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn label(self) -> &'static str {
                $name::label(self)
            }
            fn parse(code: &str) -> Option<Self> {
                $name::parse(code)
            }
        }

        $crate::__code_enum_sqlx!($name);
    };
    (#[code_enum(parse_trimmed)] $($rest:tt)*) => {
        $crate::code_enum!(@parse [true] $($rest)*);
    };
    ($($rest:tt)*) => {
        $crate::code_enum!(@parse [false] $($rest)*);
    };
}

/// The `ALL` array of a code enum: its variants in declaration order, or the order given.
#[doc(hidden)]
#[macro_export]
macro_rules! __code_enum_all {
    ($name:ident; [$($v:ident),+]) => { [$($name::$v),+] };
    ($name:ident; [$($v:ident),+]; [$($a:ident),+]) => { [$($name::$a),+] };
}

/// The sqlx type of a code enum: TEXT holding its code, for any backend whose `&str` is a
/// type (SQLite today; PostgreSQL later).
#[cfg(feature = "sqlx")]
#[doc(hidden)]
#[macro_export]
macro_rules! __code_enum_sqlx {
    ($name:ident) => {
        const _: () = {
            use sqlx_core::database::Database;
            use $crate::__private::sqlx_core;

            impl<DB: Database> sqlx_core::types::Type<DB> for $name
            where
                str: sqlx_core::types::Type<DB>,
            {
                fn type_info() -> DB::TypeInfo {
                    <str as sqlx_core::types::Type<DB>>::type_info()
                }
                fn compatible(ty: &DB::TypeInfo) -> bool {
                    <str as sqlx_core::types::Type<DB>>::compatible(ty)
                }
            }

            impl<'q, DB: Database> sqlx_core::encode::Encode<'q, DB> for $name
            where
                &'q str: sqlx_core::encode::Encode<'q, DB>,
            {
                fn encode_by_ref(
                    &self,
                    buf: &mut <DB as Database>::ArgumentBuffer,
                ) -> ::std::result::Result<sqlx_core::encode::IsNull, sqlx_core::error::BoxDynError>
                {
                    <&'q str as sqlx_core::encode::Encode<'q, DB>>::encode(self.as_str(), buf)
                }
            }

            impl<'r, DB: Database> sqlx_core::decode::Decode<'r, DB> for $name
            where
                &'r str: sqlx_core::decode::Decode<'r, DB>,
            {
                fn decode(
                    value: <DB as Database>::ValueRef<'r>,
                ) -> ::std::result::Result<Self, sqlx_core::error::BoxDynError> {
                    let code = <&'r str as sqlx_core::decode::Decode<'r, DB>>::decode(value)?;
                    $name::parse(code).ok_or_else(|| {
                        format!("{}: unknown code {:?}", stringify!($name), code).into()
                    })
                }
            }
        };
    };
}

#[cfg(not(feature = "sqlx"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __code_enum_sqlx {
    ($name:ident) => {};
}
