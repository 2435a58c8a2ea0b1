//! The error shape server functions return: safe, Vietnamese, no internal detail.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Hệ thống đang bận, vui lòng thử lại sau ít phút.")]
    Unavailable,
    #[error("Không tìm thấy {0}.")]
    NotFound(String),
    #[error("Không gửi được yêu cầu, vui lòng kiểm tra kết nối và thử lại.")]
    Transport(String),
    #[error("Vui lòng đăng nhập để tiếp tục.")]
    SignInRequired,
    #[error("Vui lòng đăng nhập tài khoản cán bộ.")]
    StaffSignInRequired,
    #[error("Vui lòng đổi mật khẩu trước khi làm việc.")]
    PasswordChangeRequired,
    #[error("Vui lòng bật xác thực hai bước trước khi làm việc.")]
    SecondFactorRequired,
    #[error("Bạn đã gửi quá nhiều yêu cầu trong một phút, vui lòng chờ rồi thử lại.")]
    TooManyRequests,
    #[error("Tài khoản của bạn không có quyền làm việc này.")]
    Forbidden,
}

impl server_fn::error::FromServerFnError for AppError {
    type Encoder = server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "database query failed");
        Self::Unavailable
    }
}

/// Sets the HTTP status of the page being rendered (a no-op in the browser).
pub fn set_page_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(status))
    {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}
