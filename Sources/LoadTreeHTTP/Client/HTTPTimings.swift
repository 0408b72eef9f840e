/// The phases of one HTTP exchange, named and delimited as the reference tool's
/// `http_req_*` trends are.
///
/// - `blocked`: from the call until the connection's event loop starts writing the request,
///   minus `connecting` (waiting for the connection and for its loop; host name resolution is
///   counted in `connecting`, because NIO resolves and connects in one happy-eyeballs step).
///   So `blocked + connecting + duration` covers the whole call of one hop.
/// - `connecting`: establishing the TCP connection (zero when a kept-alive one was reused).
/// - `tlsHandshaking`: the TLS handshake of a new `https` connection (zero for plain HTTP and
///   for a reused connection).
/// - `sending`: writing the request bytes.
/// - `waiting`: from the last byte sent to the first response byte (time to first byte).
/// - `receiving`: from the first to the last response byte.
/// - `duration`: `sending + waiting + receiving`, the reference's `http_req_duration`.
public struct HTTPTimings: Sendable, Hashable {
    public var blocked: Duration
    public var connecting: Duration
    public var tlsHandshaking: Duration
    public var sending: Duration
    public var waiting: Duration
    public var receiving: Duration

    /// `sending + waiting + receiving`, as the reference defines `http_req_duration`.
    public var duration: Duration { sending + waiting + receiving }

    public init(
        blocked: Duration = .zero,
        connecting: Duration = .zero,
        tlsHandshaking: Duration = .zero,
        sending: Duration = .zero,
        waiting: Duration = .zero,
        receiving: Duration = .zero
    ) {
        self.blocked = blocked
        self.connecting = connecting
        self.tlsHandshaking = tlsHandshaking
        self.sending = sending
        self.waiting = waiting
        self.receiving = receiving
    }

    /// All phases zero: the timings of a request that never reached the wire.
    public static let zero = HTTPTimings()
}
