//! The pieces every page shares: the error summary of a form, the "unavailable" notice, and
//! the staff pages' header and error pages.

mod common;
mod date;
mod fee;
mod slip;
mod staff;

pub use common::{page_title, procedure_not_found, too_many_requests, unavailable, with_content, ErrorSummary};
pub use date::{date_boxes_view, date_in_query, date_query_names, DateBoxes};
pub use fee::{FeeDueView, OnlinePayment, PaymentState};
pub use slip::{time_limit_text, ReceiptSlipView};
pub use staff::{on_staff_error, StaffBar};

/// An address as a QR code, in SVG to put in the page (empty when it is too long for one).
#[cfg(feature = "ssr")]
pub fn qr_svg(text: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::new(text.as_bytes()) {
        // Inline in HTML: the SVG element without the XML declaration before it.
        Ok(code) => {
            let svg = code.render::<svg::Color>().min_dimensions(160, 160).quiet_zone(true).build();
            svg.find("<svg").map_or(svg.clone(), |start| svg[start..].to_owned())
        }
        Err(_) => String::new(),
    }
}
