import NIOCore

/// What the session asks a connection to do: write these bytes, parse one response.
///
/// It is handed to the handler on the connection's event loop, which then owns all
/// per-request state, so nothing needs a lock.
struct ExchangeCommand: Sendable {
    var bytes: ByteBuffer
    var isHeadRequest: Bool
    var keepHeaders: Bool
    var keepBody: Bool
    /// Absolute deadline for the response to be complete.
    var deadline: NIODeadline
    /// When the session handed the command over (its clock, read just before).
    var issued: NIODeadline
}

/// A client connection as the session holds it: the channel, and its handler reachable only
/// on the channel's event loop.
struct ClientConnection: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<HTTP1ConnectionHandler>
    /// What TLS settled on; nil for plain HTTP.
    let tls: TLSConnectionInfo?

    /// Runs one exchange; returns when the handler resumes (always exactly once).
    func exchange(_ command: ExchangeCommand) async -> ExchangeResult {
        await withUnsafeContinuation { continuation in
            let handler = self.handler
            if channel.eventLoop.inEventLoop {
                // Started at once: the session's reading of the clock is the start.
                handler.value.start(command, at: command.issued, continuation: continuation)
            } else {
                channel.eventLoop.execute {
                    handler.value.start(command, at: .now(), continuation: continuation)
                }
            }
        }
    }
}

/// What a connection reports for one request, success or failure.
struct ExchangeResult: Sendable {
    var status = 0
    var minorVersion = 1
    var headers: [(String, String)] = []
    var body: [UInt8]? = nil
    var bodyWireBytes = 0
    var bytesSent = 0
    var bytesReceived = 0
    var isGzip = false
    var location: String? = nil
    var closesConnection = false
    var failure: HTTPFailure? = nil
    var started: NIODeadline
    var sent: NIODeadline
    var firstByte: NIODeadline?
    var finished: NIODeadline

    init(started: NIODeadline) {
        self.started = started
        self.sent = started
        self.finished = started
    }

    /// Sending, waiting and receiving from the stamps, never negative.
    var phases: (sending: Duration, waiting: Duration, receiving: Duration) {
        let firstByte = self.firstByte ?? finished
        return (
            Self.between(started, sent),
            Self.between(sent, max(sent, firstByte)),
            Self.between(max(sent, firstByte), finished)
        )
    }

    static func between(_ from: NIODeadline, _ to: NIODeadline) -> Duration {
        let nanoseconds = (to - from).nanoseconds
        return .nanoseconds(nanoseconds > 0 ? nanoseconds : 0)
    }
}
