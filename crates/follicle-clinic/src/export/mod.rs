//! Exports as pure functions returning text or bytes: iCalendar reminders, and the screening result and
//! ink passport as HTML and PDF (both rendered from one document model; the PDF with embedded Unicode
//! fonts, see [`fonts`], the follicle-fonts crate).

pub mod document;
/// The embedded fonts (the follicle-fonts crate, shared with the stencil PDF).
pub use follicle_fonts as fonts;
pub mod html;
pub mod ics;
pub mod pdf;

pub use document::{passport_document, screening_document, Document};
pub use ics::{appointments_ics, reminders_ics, timed_ics, CalendarInfo, FeedInfo, TimedEvent};
pub use pdf::PdfError;
