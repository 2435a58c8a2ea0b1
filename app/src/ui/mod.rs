//! The pieces every page shares: the error summary of a form, the "unavailable" notice, and
//! the staff pages' header and error pages.

mod common;
mod staff;

pub use common::{procedure_not_found, unavailable, with_content, ErrorSummary};
pub use staff::{on_staff_error, StaffBar};
