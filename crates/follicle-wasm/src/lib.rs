//! follicle-wasm: the planning core for the studio editor in the browser. The editor sends a request as
//! JSON (`{"op": "plan", "case": "<case.toml>"}`) and gets JSON back; every answer comes from the same
//! library functions the server and the CLI call (follicle-case's parser, follicle-core's landmarks,
//! hairline and planner, follicle-export's plan.json writer, follicle-render's frontal camera and
//! similarity fit), so the plan drawn in the browser is the plan the server stores, byte for byte.
//!
//! The WebAssembly interface is plain `extern "C"` functions (no wasm-bindgen): the page asks for a
//! buffer with [`fw_alloc`], writes the UTF-8 request into it, calls [`fw_call`] (0: answer, 1: error
//! message), reads [`fw_result_len`] bytes at [`fw_result_ptr`] and frees its buffer with [`fw_free`] (a
//! plan's impressions for drawing: [`fw_drawing_len`] bytes at [`fw_drawing_ptr`], `ops::drawing`); the
//! photo the editor shows is handed over the same way, as the file's bytes, with [`fw_photo`].

pub mod ops;

use std::cell::RefCell;

thread_local! {
    /// The last answer, kept until the next call.
    static RESULT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Allocates `len` bytes for a request; the caller frees them with [`fw_free`].
#[no_mangle]
pub extern "C" fn fw_alloc(len: usize) -> *mut u8 {
    let mut v = Vec::<u8>::with_capacity(len.max(1));
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

/// Frees a buffer from [`fw_alloc`].
///
/// # Safety
/// `ptr` and `len` must be exactly what [`fw_alloc`] returned and was given, freed once.
#[no_mangle]
pub unsafe extern "C" fn fw_free(ptr: *mut u8, len: usize) {
    drop(Vec::from_raw_parts(ptr, 0, len.max(1)));
}

/// Answers the request of `len` bytes at `ptr` (see [`ops::call`]); returns 0 with the answer or 1 with an
/// error message in the result buffer.
///
/// # Safety
/// `ptr` must point to `len` initialised bytes.
#[no_mangle]
pub unsafe extern "C" fn fw_call(ptr: *const u8, len: usize) -> u32 {
    let bytes = std::slice::from_raw_parts(ptr, len);
    let (code, text) = match std::str::from_utf8(bytes) {
        Ok(req) => match ops::call(req) {
            Ok(t) => (0, t),
            Err(e) => (1, e),
        },
        Err(_) => (1, "the request is not UTF-8".to_string()),
    };
    RESULT.with(|r| *r.borrow_mut() = text.into_bytes());
    code
}

/// Shows the photo of `len` bytes at `ptr` (the file as stored; `len` 0: none) to the requests that draw
/// on it (`photo`, `fit`, `drag`: registered as the server registers it); returns 0 with `{"width",
/// "height", "scale"}` or 1 with an error message in the result buffer.
///
/// # Safety
/// `ptr` must point to `len` initialised bytes.
#[no_mangle]
pub unsafe extern "C" fn fw_photo(ptr: *const u8, len: usize) -> u32 {
    let bytes = if len == 0 {
        &[][..]
    } else {
        std::slice::from_raw_parts(ptr, len)
    };
    let (code, text) = match ops::set_photo(bytes) {
        Ok(t) => (0, t),
        Err(e) => (1, e),
    };
    RESULT.with(|r| *r.borrow_mut() = text.into_bytes());
    code
}

/// Address of the last answer.
#[no_mangle]
pub extern "C" fn fw_result_ptr() -> *const u8 {
    RESULT.with(|r| r.borrow().as_ptr())
}

/// Length in bytes of the last answer.
#[no_mangle]
pub extern "C" fn fw_result_len() -> usize {
    RESULT.with(|r| r.borrow().len())
}

/// Address of the impressions' arrays of the last `plan_drawing` answer (`ops::drawing`).
#[no_mangle]
pub extern "C" fn fw_drawing_ptr() -> *const u8 {
    ops::drawing::with_arrays(|a| a.as_ptr())
}

/// Length in bytes of the impressions' arrays of the last `plan_drawing` answer.
#[no_mangle]
pub extern "C" fn fw_drawing_len() -> usize {
    ops::drawing::with_arrays(|a| a.len())
}
