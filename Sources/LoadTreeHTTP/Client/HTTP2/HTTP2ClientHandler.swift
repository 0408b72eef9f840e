import CNghttp2
import NIOCore

/// The channel handler of one HTTP/2 client connection: owns an nghttp2 client session, feeds
/// it the socket's bytes and writes what it produces; many requests share it as streams.
///
/// Everything runs on the connection's event loop: the session calls `start` and `cancel`
/// there (through `NIOLoopBound`), and nghttp2's callbacks arrive synchronously inside
/// `mem_recv`/`mem_send`/`submit_*`, so no state needs a lock. nghttp2 enforces the peer's
/// SETTINGS (requests beyond its concurrent-stream limit wait in nghttp2's queue), flow
/// control (window updates are sent as data is consumed) and the protocol's rules. The
/// channel is never closed from inside an nghttp2 call: closing is deferred to `flush`, so
/// the session is never deleted under its own feet.
///
/// Per request it allocates nothing on the Swift side once warm: the header list is prepared
/// with the request, stream records and the output buffer are reused, and the clock is read
/// once per socket read and once per write for all the streams they carry.
final class HTTP2ClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Local receive windows: large enough that a fast loopback target is not throttled by
    /// WINDOW_UPDATE round trips (the reference's Go client uses similar sizes).
    static let streamWindow: Int32 = 4 * 1024 * 1024
    static let connectionWindow: Int32 = 32 * 1024 * 1024
    /// Concurrent streams assumed before the server's SETTINGS arrive (RFC 9113 suggests 100).
    static let assumedConcurrentStreams: UInt32 = 100

    let state: HTTP2ConnectionState
    private var session: OpaquePointer?
    private var streams = HTTP2StreamTable()
    /// Records of ended streams, reused by the next ones (see ``HTTP2Stream``).
    private var spareStreams: [HTTP2Stream] = []
    /// Spare records kept at most: about the streams a server lets run at once.
    private static let spareStreamLimit = 128
    private var context: ChannelHandlerContext?
    /// What `flush` writes, kept between writes so its storage is reused once NIO let go of it.
    private var output: ByteBuffer?
    /// Whether a read or a write is being processed, and its instant once read (see ``now()``).
    private var batch = Batch.none

    private enum Batch {
        case none
        case open
        case stamped(NIODeadline)
    }
    private var isClosed = false
    private var flushScheduled = false
    private var closeRequested = false
    private var goAway: (code: UInt32, lastStreamID: Int32)?
    private var protocolError: String?
    private var lastLibraryError: String?
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?

    init(state: HTTP2ConnectionState) {
        self.state = state
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { startSession(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startSession(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        shutDown(reason: nil)
        self.context = nil
        if let session {
            nghttp2_session_del(session)
            self.session = nil
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        shutDown(reason: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        shutDown(reason: HTTP1ConnectionHandler.failure(for: error))
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let session, !isClosed else { return }
        let outer = beginBatch()
        defer { batch = outer }
        let consumed = buffer.withUnsafeReadableBytes { bytes -> Int in
            guard let base = bytes.baseAddress else { return 0 }
            return nghttp2_session_mem_recv(session, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        }
        if consumed < 0 {
            let detail = lastLibraryError ?? String(cString: nghttp2_strerror(Int32(consumed)))
            protocolError = protocolError ?? detail
            closeRequested = true
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        flush()
        context.fireChannelReadComplete()
    }

    // MARK: Requests

    /// Submits `request` as a new stream and resumes `continuation` when it ends (exactly
    /// once, even on a closed connection). `ready` is when the caller had the connection (the
    /// start of sending until the HEADERS frame leaves). On the loop only.
    func start(
        _ request: HTTPRequest, owner: HTTP2StreamOwner, deadline: NIODeadline, ready: NIODeadline,
        continuation: UnsafeContinuation<ExchangeResult, Never>
    ) {
        var result = ExchangeResult(started: ready)
        if case .session(let canceller) = owner, canceller.isCancelled {
            // Its VU was cancelled before the stream existed: the canceller's reset would miss it.
            result.failure = .cancelled
            continuation.resume(returning: result)
            return
        }
        guard let session, !isClosed, goAway == nil, protocolError == nil, !closeRequested else {
            // Never reached the wire (bytesSent stays 0): the session may retry on a fresh connection.
            result.failure = protocolError.map { .http2ProtocolError($0) } ?? .connectionReset
            result.closesConnection = true
            continuation.resume(returning: result)
            return
        }
        let block = request.http2Headers ?? HTTP2HeaderBlock(
            method: request.method, url: request.url, headers: request.headers, body: request.body
        )
        let body = request.body ?? []
        let streamID: Int32 = block.withNameValues { nv, count in
            if body.isEmpty {
                return nghttp2_submit_request(session, nil, nv, count, nil, nil)
            }
            var provider = HTTP2Callbacks.bodyProvider
            return nghttp2_submit_request(session, nil, nv, count, &provider, nil)
        }
        guard streamID > 0 else {
            result.failure = .http2ProtocolError("cannot submit the request: " + String(cString: nghttp2_strerror(streamID)))
            result.closesConnection = true
            continuation.resume(returning: result)
            return
        }
        let keepBody = request.keepBody && request.method != "HEAD"
        let stream: HTTP2Stream
        if let spare = spareStreams.popLast() {
            spare.reuse(
                owner: owner, continuation: continuation, result: result, deadline: deadline, requestBody: body,
                keepHeaders: request.keepHeaders, keepBody: keepBody
            )
            stream = spare
        } else {
            stream = HTTP2Stream(
                owner: owner, continuation: continuation, result: result, deadline: deadline, requestBody: body,
                keepHeaders: request.keepHeaders, keepBody: keepBody
            )
        }
        streams.insert(stream, id: streamID)
        if let context { armTimer(for: deadline, context: context) }
        scheduleFlush()
    }

    /// Resets the stream of `ticket` (its VU was cancelled) without disturbing other streams.
    func cancel(ticket: UInt64) {
        reset(streams.ids { $0.owner.is(ticket: ticket) })
    }

    /// Resets every stream of `owner`'s session (its VU was cancelled), leaving other sessions'.
    func cancel(owner: ConnectionCanceller) {
        reset(streams.ids { $0.owner.is(owner) })
    }

    private func reset(_ cancelled: [Int32]) {
        guard !cancelled.isEmpty else { return }
        for streamID in cancelled {
            finish(streamID, failure: .cancelled)
            if let session {
                nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, NGHTTP2_CANCEL.rawValue)
            }
        }
        scheduleFlush()
    }

    // MARK: nghttp2 callbacks (synchronous, on the loop)

    func beginHeaders(streamID: Int32) {
        guard let stream = streams.stream(streamID) else { return }
        if stream.result.firstByte == nil {
            stream.result.firstByte = now()
        }
    }

    /// Records one response header; false when the stream must be reset (the head is too large).
    func header(streamID: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let stream = streams.stream(streamID) else { return true }
        stream.headerBytes += name.count + value.count + 32
        if stream.headerBytes > ResponseParser.maxHeadSize {
            // The same bound as HTTP/1.1's response head: a peer cannot make us hoard headers.
            stream.localFailure = .badResponse("the response head is larger than \(ResponseParser.maxHeadSize) bytes")
            return false
        }
        if name.first == UInt8(ascii: ":") {
            if stream.result.status == 0, Self.equals(name, ":status") {
                stream.result.status = Self.decimal(value) ?? 0
            }
            return true
        }
        // Strings only for what is kept: most load-test steps read no header.
        if Self.equals(name, "content-encoding") {
            stream.result.isGzip = String(decoding: value, as: UTF8.self).lowercased().contains("gzip")
        } else if Self.equals(name, "location") {
            stream.result.location = String(decoding: value, as: UTF8.self)
        }
        if stream.keepHeaders {
            stream.result.headers.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
        }
        return true
    }

    func data(streamID: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        guard let stream = streams.stream(streamID) else { return }
        stream.result.bodyWireBytes += bytes.count
        if stream.keepBody {
            stream.receivedBody.append(contentsOf: bytes)
        }
    }

    func frameReceived(_ frame: UnsafePointer<nghttp2_frame>) {
        let type = UInt32(frame.pointee.hd.type)
        let streamID = frame.pointee.hd.stream_id
        if streamID > 0, let stream = streams.stream(streamID) {
            stream.result.bytesReceived += frame.pointee.hd.length + 9
            let endsStream = frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
            if endsStream, type == NGHTTP2_HEADERS.rawValue || type == NGHTTP2_DATA.rawValue {
                stream.remoteEnded = true
            }
        }
        if type == NGHTTP2_GOAWAY.rawValue {
            goAway = (frame.pointee.goaway.error_code, frame.pointee.goaway.last_stream_id)
            state.acceptsStreams.store(false, ordering: .relaxed)
        }
    }

    func frameSent(_ frame: UnsafePointer<nghttp2_frame>) {
        let type = UInt32(frame.pointee.hd.type)
        let streamID = frame.pointee.hd.stream_id
        if type == NGHTTP2_GOAWAY.rawValue {
            // nghttp2 ends the connection itself when the server breaks the protocol.
            if frame.pointee.goaway.error_code != NGHTTP2_NO_ERROR.rawValue {
                protocolError = protocolError ?? lastLibraryError
                    ?? "LoadTree closed the connection with \(HTTPFailure.http2CodeName(frame.pointee.goaway.error_code))"
            }
            state.acceptsStreams.store(false, ordering: .relaxed)
            return
        }
        guard streamID > 0, let stream = streams.stream(streamID) else { return }
        stream.result.bytesSent += frame.pointee.hd.length + 9
        switch type {
        case NGHTTP2_HEADERS.rawValue:
            if !stream.headersSent {
                let instant = now()
                stream.headersSent = true
                stream.result.started = instant
                stream.result.sent = instant
            }
        case NGHTTP2_DATA.rawValue:
            stream.result.sent = now()
        case NGHTTP2_RST_STREAM.rawValue:
            stream.localReset = true
        default:
            break
        }
    }

    func frameNotSent(_ frame: UnsafePointer<nghttp2_frame>, libraryError: Int32) {
        let streamID = frame.pointee.hd.stream_id
        guard UInt32(frame.pointee.hd.type) == NGHTTP2_HEADERS.rawValue, streams.stream(streamID) != nil else { return }
        if let goAway {
            finish(streamID, failure: .http2GoAway(errorCode: goAway.code))
        } else {
            finish(streamID, failure: .http2ProtocolError("request not sent: " + String(cString: nghttp2_strerror(libraryError))))
        }
    }

    func streamClosed(streamID: Int32, errorCode: UInt32) {
        guard let stream = streams.stream(streamID) else { return }
        if stream.remoteEnded, stream.result.status != 0 {
            finish(streamID, failure: nil)
        } else if let failure = stream.localFailure {
            finish(streamID, failure: failure)
        } else if stream.localReset {
            finish(streamID, failure: .http2ProtocolError(lastLibraryError ?? "the response on stream \(streamID) was invalid"))
        } else if let goAway, streamID > goAway.lastStreamID {
            finish(streamID, failure: .http2GoAway(errorCode: goAway.code))
        } else if errorCode != NGHTTP2_NO_ERROR.rawValue {
            finish(streamID, failure: .http2StreamReset(errorCode: errorCode))
        } else {
            finish(streamID, failure: .badResponse("the HTTP/2 stream closed before a complete response"))
        }
    }

    func libraryError(_ message: String) {
        lastLibraryError = message
    }

    /// Copies the next part of a request body for nghttp2's DATA frames.
    func readBody(streamID: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>) -> (count: Int, isLast: Bool) {
        guard let stream = streams.stream(streamID) else { return (0, true) }
        let offset = stream.requestBodyOffset
        let count = min(stream.requestBody.count - offset, buffer.count)
        if count > 0 {
            stream.requestBody.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress, let target = buffer.baseAddress else { return }
                target.update(from: base + offset, count: count)
            }
        }
        stream.requestBodyOffset += count
        return (count, stream.requestBodyOffset >= stream.requestBody.count)
    }

    /// The current instant, read once per socket read or write: every stream a read or write
    /// carries gets the same stamp (they arrived or left together), and outside them each call
    /// reads the clock.
    private func now() -> NIODeadline {
        switch batch {
        case .stamped(let instant):
            return instant
        case .open:
            let instant = NIODeadline.now()
            batch = .stamped(instant)
            return instant
        case .none:
            return .now()
        }
    }

    /// Opens a batch for a read or a write; returns the enclosing state to restore after it.
    private func beginBatch() -> Batch {
        let outer = batch
        if case .none = outer { batch = .open }
        return outer
    }

    /// Whether a received header name is `literal` (names arrive lowercased). Comparing the
    /// lengths first answers almost every header at once.
    @inline(__always)
    private static func equals(_ name: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        guard name.count == literal.utf8CodeUnitCount else { return false }
        let expected = literal.utf8Start
        for index in 0..<name.count where name[index] != expected[index] { return false }
        return true
    }

    /// A non-negative decimal number, without allocating a string.
    private static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    // MARK: Internals

    private func startSession(context: ChannelHandlerContext) {
        guard session == nil, !isClosed else { return }
        guard let callbacks = HTTP2Callbacks.make() else {
            protocolError = "cannot create an HTTP/2 session (out of memory)"
            context.close(promise: nil)
            return
        }
        defer { nghttp2_session_callbacks_del(callbacks) }
        var option: OpaquePointer?
        nghttp2_option_new(&option)
        defer { if let option { nghttp2_option_del(option) } }
        if let option {
            nghttp2_option_set_peer_max_concurrent_streams(option, Self.assumedConcurrentStreams)
        }
        var created: OpaquePointer?
        let userData = Unmanaged.passUnretained(self).toOpaque()
        guard nghttp2_session_client_new2(&created, callbacks, userData, option) == 0, let created else {
            protocolError = "cannot create an HTTP/2 session (out of memory)"
            context.close(promise: nil)
            return
        }
        session = created
        var settings = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: UInt32(Self.streamWindow)),
        ]
        nghttp2_submit_settings(created, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count)
        nghttp2_session_set_local_window_size(created, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, Self.connectionWindow)
        flush()
    }

    private func scheduleFlush() {
        guard !flushScheduled, let context else { return }
        flushScheduled = true
        // Requests submitted by several VUs in one loop tick leave in one write.
        context.eventLoop.assumeIsolated().execute { [self] in
            flushScheduled = false
            flush()
        }
    }

    /// Writes everything nghttp2 has queued in one write, then closes the connection when it is
    /// finished.
    private func flush() {
        guard let session, let context, !isClosed else { return }
        let outer = beginBatch()
        defer { batch = outer }
        var out = output ?? context.channel.allocator.buffer(capacity: 4096)
        output = nil
        // Unique again once NIO has written the previous batch: clearing keeps its storage.
        out.clear()
        while true {
            var pointer: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &pointer)
            if count < 0 {
                protocolError = protocolError ?? String(cString: nghttp2_strerror(Int32(count)))
                closeRequested = true
                break
            }
            guard count > 0, let pointer else { break }
            out.writeBytes(UnsafeRawBufferPointer(start: pointer, count: count))
        }
        if out.readableBytes > 0 {
            context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        }
        output = out
        let finished = nghttp2_session_want_read(session) == 0 && nghttp2_session_want_write(session) == 0
        if closeRequested || finished || (goAway != nil && streams.isEmpty) {
            state.acceptsStreams.store(false, ordering: .relaxed)
            context.close(promise: nil)
        }
    }

    /// Ends the stream's request: removes it and resumes its VU.
    private func finish(_ streamID: Int32, failure: HTTPFailure?) {
        guard let stream = streams.remove(streamID) else { return }
        var result = stream.result
        result.finished = now()
        if let failure {
            result.failure = failure
            result.status = 0
        } else {
            result.body = stream.keepBody ? stream.receivedBody : nil
        }
        stream.continuation.resume(returning: result)
        // Nothing else holds the record now (the table forgot it); a closed connection starts
        // no more streams.
        if !isClosed, spareStreams.count < Self.spareStreamLimit { spareStreams.append(stream) }
        if goAway != nil, streams.isEmpty { closeRequested = true }
    }

    /// Fails every open stream: the connection is gone.
    private func shutDown(reason: HTTPFailure?) {
        isClosed = true
        state.acceptsStreams.store(false, ordering: .relaxed)
        timer?.cancel()
        timer = nil
        for (streamID, stream) in streams.all {
            let failure: HTTPFailure
            if let reason {
                failure = reason
            } else if let protocolError {
                failure = .http2ProtocolError(protocolError)
            } else if let goAway, streamID > goAway.lastStreamID {
                failure = .http2GoAway(errorCode: goAway.code)
            } else if stream.result.bytesReceived == 0 {
                failure = .connectionReset
            } else {
                failure = .badResponse(
                    "the server closed the connection after \(stream.result.bytesReceived) bytes of this stream, before the response was complete"
                )
            }
            finish(streamID, failure: failure)
        }
    }

    private func armTimer(for deadline: NIODeadline, context: ChannelHandlerContext) {
        if let timerDeadline, timerDeadline <= deadline, timer != nil { return }
        timer?.cancel()
        timerDeadline = deadline
        // A strong capture: a weak one would give the handler a side table and slow every
        // retain of it (nghttp2's callbacks reach it per header). `shutDown` cancels the timer,
        // which breaks the cycle.
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timerFired()
        }
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        guard let context, let session else { return }
        let now = NIODeadline.now()
        let expired = streams.ids { $0.deadline <= now }
        for streamID in expired {
            finish(streamID, failure: .requestTimeout)
            nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), streamID, NGHTTP2_CANCEL.rawValue)
        }
        if let next = streams.all.values.map(\.deadline).min() {
            armTimer(for: next, context: context)
        }
        if !expired.isEmpty { flush() }
    }
}
