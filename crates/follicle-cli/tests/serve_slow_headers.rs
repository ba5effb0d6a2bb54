//! Slow-header connections through the real binary (outside test s43, "slowloris": connections that sent a
//! header line every few seconds and never finished were kept for ever, and about a thousand of them took every
//! file the node could open): the node closes a connection that has not sent its headers within
//! `follicle_server::HEADER_READ_TIMEOUT`, and answers others meanwhile.

mod serve_support;

use serve_support::{Client, ServerProc};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

#[test]
fn connections_that_never_finish_their_headers_are_closed_and_others_answered() {
    let data = tempfile::tempdir().unwrap();
    let server = ServerProc::start(data.path(), true);
    let mut slow: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut s = TcpStream::connect(&server.addr).unwrap();
            s.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            s.set_read_timeout(Some(Duration::from_millis(200)))
                .unwrap();
            s
        })
        .collect();
    let start = Instant::now();
    let mut closed_at = None;
    while start.elapsed() < Duration::from_secs(45) {
        // Another client is answered while the slow ones hang on.
        let health = Client {
            addr: server.addr.clone(),
            ..Client::default()
        }
        .get("/api/health");
        assert_eq!(health.status, 200);
        // One header line each, every two seconds; a connection the node closed reads its end (or is reset).
        let mut open = 0;
        for s in &mut slow {
            let _ = s.write_all(b"X-Slow: still coming\r\n");
            let mut buf = [0u8; 512];
            let closed = match s.read(&mut buf) {
                Ok(0) => true,
                // A last word from the node before it closes (read again next round).
                Ok(_) => false,
                Err(e) => !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ),
            };
            open += usize::from(!closed);
        }
        if open == 0 {
            closed_at = Some(start.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_secs(2));
    }
    let closed_at = closed_at.expect("the slow connections were still open after 45 s");
    assert!(
        closed_at >= Duration::from_secs(15),
        "closed after {closed_at:?}: sooner than the header timeout allows a slow network"
    );
}
