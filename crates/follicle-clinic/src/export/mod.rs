//! Exports as pure functions returning text or bytes: iCalendar reminders, and the screening result and
//! ink passport as HTML and PDF (both rendered from one document model).

pub mod document;
pub mod html;
pub mod ics;
pub mod pdf;

pub use document::{passport_document, screening_document, Document};
pub use ics::{appointments_ics, reminders_ics, CalendarInfo};
