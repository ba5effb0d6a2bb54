//! follicle-clinic: the clinic side of scalp micropigmentation — consultation intake, data-driven safety
//! screening, signed consent, pigment catalogue and lots with the ink passport, session records, the
//! session and touch-up schedule with aftercare, and exports (iCalendar, HTML, PDF) as pure functions.
//!
//! Architecture invariant: no file, network or clock access. "Today" and "now" are parameters; the data
//! this crate ships (rules, consent texts, aftercare) is embedded with `include_str!`.

pub mod appointment;
pub mod closures;
pub mod consent;
pub mod consultation_form;
pub mod date;
pub mod drugs;
pub mod export;
pub mod field_span;
pub mod gate;
pub mod intake;
pub mod pigment;
pub mod plain;
pub mod premises;
pub mod rezone;
pub mod schedule;
pub mod screening;
pub mod session;
pub mod signature;
pub mod source;
pub mod text;
pub mod vocab;

pub use consent::{ConsentLibrary, ConsentText, SignedConsent};
pub use date::{ClinicZone, Date, DateTime, ZoneSource};
pub use gate::{Action, Clearance, Override, Permit, Refusal};
pub use intake::Intake;
pub use pigment::{Catalogue, Lot, LotError, Pigment};
pub use schedule::{course, propose, Aftercare, Course, ScheduleSettings, Visit, VisitKind};
pub use screening::{screen, Outcome, RuleSet, Screening};
pub use session::{InkPassport, RecordError, SessionLog, SessionRecord};
pub use source::{Format, SourceError};
pub use text::{TextError, TextKind};
