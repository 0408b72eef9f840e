import Synchronization

/// What a session reads about an HTTP/2 connection from outside its event loop.
///
/// A VU (or a shared pool) must decide whether to reuse a connection without hopping onto the
/// connection's loop; the handler writes this atomic on the loop and anyone reads it.
final class HTTP2ConnectionState: Sendable {
    /// False once the server sent GOAWAY or the connection failed: new requests go elsewhere.
    let acceptsStreams = Atomic<Bool>(true)
}
