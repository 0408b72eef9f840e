import NIOCore

/// What the HTTP/2 handler keeps for one request while its stream is open: the waiting VU, the
/// request body still to send and the response as it arrives.
///
/// A class, touched only on the connection's event loop: each nghttp2 callback looks the
/// stream up once and updates it in place, instead of copying a large value in and out of the
/// handler's table per header and per frame. When its request has ended the handler reuses
/// the record for a later stream (see ``reuse(owner:continuation:result:deadline:requestBody:keepHeaders:keepBody:)``),
/// which saves an allocation and a deallocation per request.
final class HTTP2Stream {
    /// Who may cancel the request (stream ids are only known on the loop).
    private(set) var owner: HTTP2StreamOwner
    private(set) var continuation: UnsafeContinuation<ExchangeResult, Never>
    var result: ExchangeResult
    private(set) var deadline: NIODeadline
    /// The request body and how much of it nghttp2 has taken.
    private(set) var requestBody: [UInt8]
    var requestBodyOffset = 0
    private(set) var keepHeaders: Bool
    private(set) var keepBody: Bool
    var receivedBody: [UInt8] = []
    /// The server ended its side (END_STREAM on HEADERS or DATA).
    var remoteEnded = false
    /// LoadTree reset the stream (nghttp2 found the response invalid, or the request timed out).
    var localReset = false
    /// Header bytes received (names, values and HPACK's 32-byte entry overhead).
    var headerBytes = 0
    /// Why LoadTree reset the stream itself, when it knows better than nghttp2's message.
    var localFailure: HTTPFailure?
    /// The HEADERS frame has left (the request is no longer queued behind the stream limit).
    var headersSent = false

    init(
        owner: HTTP2StreamOwner, continuation: UnsafeContinuation<ExchangeResult, Never>, result: ExchangeResult,
        deadline: NIODeadline, requestBody: [UInt8], keepHeaders: Bool, keepBody: Bool
    ) {
        self.owner = owner
        self.continuation = continuation
        self.result = result
        self.deadline = deadline
        self.requestBody = requestBody
        self.keepHeaders = keepHeaders
        self.keepBody = keepBody
    }

    /// Makes the record of an ended stream serve a new request, as if just created.
    func reuse(
        owner: HTTP2StreamOwner, continuation: UnsafeContinuation<ExchangeResult, Never>, result: ExchangeResult,
        deadline: NIODeadline, requestBody: [UInt8], keepHeaders: Bool, keepBody: Bool
    ) {
        self.owner = owner
        self.continuation = continuation
        self.result = result
        self.deadline = deadline
        self.requestBody = requestBody
        self.keepHeaders = keepHeaders
        self.keepBody = keepBody
        requestBodyOffset = 0
        if !receivedBody.isEmpty { receivedBody = [] }
        remoteEnded = false
        localReset = false
        headerBytes = 0
        localFailure = nil
        headersSent = false
    }
}

/// Who cancels a stream, and so how its request finds it again.
enum HTTP2StreamOwner: Sendable {
    /// A request with its own task cancellation handler, which names it by this ticket.
    case ticket(UInt64)
    /// A session whose VU handles cancellation once for all its requests (see
    /// ``HTTPSession/shareCancellation()``): cancelling resets every stream of that canceller,
    /// and a request submitted after it fails at once.
    case session(ConnectionCanceller)

    func `is`(_ canceller: ConnectionCanceller) -> Bool {
        if case .session(let own) = self { own === canceller } else { false }
    }

    func `is`(ticket: UInt64) -> Bool {
        if case .ticket(let own) = self { own == ticket } else { false }
    }
}
