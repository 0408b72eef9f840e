import NIOCore

/// An incremental HTTP/1.x response parser that reads only what a load tester needs.
///
/// It works on raw bytes so that a discarded body is only counted, and header names the
/// caller does not keep never become `String`s. It understands `Content-Length`, chunked
/// transfer coding, bodies delimited by connection close, bodiless responses (HEAD, 1xx, 204,
/// 304) and skips interim 1xx responses. One parser serves a connection for its lifetime and
/// is `reset` before every request.
struct ResponseParser {
    enum Outcome: Equatable {
        case needMore
        /// The response is complete; `leftover` bytes followed it in the input.
        case complete(leftover: Int)
        case failed(String)
    }

    private enum State {
        case head
        case fixed(remaining: Int)
        case chunkHeader
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
        case complete
    }

    static var maxHeadSize: Int { 64 * 1024 }
    static var maxLineSize: Int { 8 * 1024 }

    private var state: State = .head
    /// Bytes of an incomplete head or line, kept until more input arrives.
    private var pending: ByteBuffer?
    private var isHeadRequest = false
    private var keepHeaders = false
    private var keepBody = false

    /// Whether the current request keeps its body.
    var keepsBody: Bool { keepBody }

    private(set) var status = 0
    private(set) var minorVersion = 1
    private(set) var headers: [(String, String)] = []
    private(set) var body: [UInt8] = []
    private(set) var bodyWireBytes = 0
    private(set) var isGzip = false
    private(set) var location: String?
    /// Whether the server will close (or asked to close) the connection after this response.
    private(set) var closesConnection = false

    mutating func reset(isHeadRequest: Bool, keepHeaders: Bool, keepBody: Bool) {
        state = .head
        pending = nil
        self.isHeadRequest = isHeadRequest
        self.keepHeaders = keepHeaders
        self.keepBody = keepBody
        resetMessage()
    }

    private mutating func resetMessage() {
        status = 0
        minorVersion = 1
        headers = []
        body = []
        bodyWireBytes = 0
        isGzip = false
        location = nil
        closesConnection = false
    }

    /// Takes the kept body out of the parser without copying.
    mutating func takeBody() -> [UInt8] {
        defer { body = [] }
        return body
    }

    mutating func takeHeaders() -> [(String, String)] {
        defer { headers = [] }
        return headers
    }

    /// Feeds bytes read from the connection.
    mutating func feed(_ incoming: ByteBuffer) -> Outcome {
        var input: ByteBuffer
        if var saved = pending {
            pending = nil
            var copy = incoming
            saved.writeBuffer(&copy)
            input = saved
        } else {
            input = incoming
        }
        while true {
            switch state {
            case .head:
                let found = input.withUnsafeReadableBytes { Self.findHeadEnd($0) }
                guard let headLength = found else {
                    if input.readableBytes > Self.maxHeadSize {
                        return .failed("the response head is larger than \(Self.maxHeadSize) bytes")
                    }
                    pending = input
                    return .needMore
                }
                if headLength > Self.maxHeadSize {
                    return .failed("the response head is larger than \(Self.maxHeadSize) bytes")
                }
                let result = input.withUnsafeReadableBytes { raw in
                    parseHead(UnsafeRawBufferPointer(rebasing: raw[0..<(headLength - 4)]))
                }
                input.moveReaderIndex(forwardBy: headLength)
                if let problem = result { return .failed(problem) }
            case .fixed(let remaining):
                let count = min(remaining, input.readableBytes)
                consumeBody(&input, count: count)
                if count == remaining {
                    state = .complete
                } else {
                    state = .fixed(remaining: remaining - count)
                    return .needMore
                }
            case .chunkHeader:
                guard let line = readLine(&input) else {
                    if input.readableBytes > Self.maxLineSize { return .failed("a chunk size line is too long") }
                    pending = input
                    return .needMore
                }
                guard let size = Self.parseChunkSize(line) else {
                    return .failed("invalid chunk size line \"\(Self.printable(line))\"")
                }
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let count = min(remaining, input.readableBytes)
                consumeBody(&input, count: count)
                if count == remaining {
                    state = .chunkDataEnd
                } else {
                    state = .chunkData(remaining: remaining - count)
                    return .needMore
                }
            case .chunkDataEnd:
                guard input.readableBytes >= 2 else {
                    pending = input
                    return .needMore
                }
                guard input.readInteger(as: UInt16.self) == 0x0D0A else {
                    return .failed("a chunk is not followed by CRLF")
                }
                state = .chunkHeader
            case .trailers:
                guard let line = readLine(&input) else {
                    if input.readableBytes > Self.maxLineSize { return .failed("a trailer line is too long") }
                    pending = input
                    return .needMore
                }
                if line.isEmpty { state = .complete }
            case .untilClose:
                consumeBody(&input, count: input.readableBytes)
                return .needMore
            case .complete:
                return .complete(leftover: input.readableBytes)
            }
        }
    }

    /// The connection closed: completes a close-delimited body, anything else is an error.
    mutating func finishOnClose() -> Outcome {
        switch state {
        case .untilClose, .complete:
            state = .complete
            return .complete(leftover: 0)
        case .head where pending == nil:
            return .failed("closed")
        default:
            return .failed("the connection closed in the middle of the response")
        }
    }

    private mutating func consumeBody(_ input: inout ByteBuffer, count: Int) {
        guard count > 0 else { return }
        bodyWireBytes += count
        if keepBody {
            input.withUnsafeReadableBytes { raw in
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0..<count]))
            }
        }
        input.moveReaderIndex(forwardBy: count)
    }

    /// Reads one CRLF-terminated line (without the CRLF), or returns nil if it is incomplete.
    private func readLine(_ input: inout ByteBuffer) -> [UInt8]? {
        let end = input.withUnsafeReadableBytes { raw -> Int? in
            guard raw.count >= 2 else { return nil }
            for index in 0..<(raw.count - 1) where raw[index] == ASCII.cr && raw[index + 1] == ASCII.lf {
                return index
            }
            return nil
        }
        guard let end else { return nil }
        let line = input.readBytes(length: end) ?? []
        input.moveReaderIndex(forwardBy: 2)
        return line
    }

    /// Length of the head including the blank line, if the head is complete.
    private static func findHeadEnd(_ raw: UnsafeRawBufferPointer) -> Int? {
        guard raw.count >= 4 else { return nil }
        var index = 0
        let last = raw.count - 4
        while index <= last {
            if raw[index + 3] != ASCII.lf {
                // The byte 3 ahead is not LF, so no terminator ends within the next 1 to 4 bytes.
                index += raw[index + 3] == ASCII.cr ? 1 : 4
                continue
            }
            if raw[index] == ASCII.cr, raw[index + 1] == ASCII.lf, raw[index + 2] == ASCII.cr {
                return index + 4
            }
            index += 1
        }
        return nil
    }

    /// Parses the status line and headers (without the final blank line). Returns a problem.
    private mutating func parseHead(_ head: UnsafeRawBufferPointer) -> String? {
        resetMessage()
        var lineStart = 0
        var lines = 0
        var contentLength: Int? = nil
        var chunked = false
        var explicitKeepAlive = false
        while lineStart <= head.count {
            var lineEnd = lineStart
            while lineEnd + 1 < head.count, !(head[lineEnd] == ASCII.cr && head[lineEnd + 1] == ASCII.lf) {
                lineEnd += 1
            }
            if lineEnd + 1 >= head.count { lineEnd = head.count }
            let line = UnsafeRawBufferPointer(rebasing: head[lineStart..<lineEnd])
            lineStart = lineEnd + 2
            lines += 1
            if lines == 1 {
                if let problem = parseStatusLine(line) { return problem }
                continue
            }
            if line.isEmpty { continue }
            if line[0] == ASCII.space || line[0] == ASCII.tab {
                return "folded header lines are not allowed"
            }
            guard let colon = line.firstIndex(of: ASCII.colon), colon > 0 else {
                return "header line without a colon: \"\(Self.printable(Array(line)))\""
            }
            let name = UnsafeRawBufferPointer(rebasing: line[0..<colon])
            guard name.allSatisfy(ASCII.isTokenByte) else {
                return "invalid header name \"\(Self.printable(Array(name)))\""
            }
            let value = ASCII.trimmed(UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]))
            switch name.count {
            case 14 where ASCII.equalsIgnoringCase(name, "content-length"):
                guard let length = Self.parseDecimal(value) else {
                    return "invalid Content-Length \"\(Self.printable(Array(value)))\""
                }
                if let previous = contentLength, previous != length {
                    return "conflicting Content-Length headers"
                }
                contentLength = length
            case 17 where ASCII.equalsIgnoringCase(name, "transfer-encoding"):
                if ASCII.listContains(value, "chunked") { chunked = true }
            case 10 where ASCII.equalsIgnoringCase(name, "connection"):
                if ASCII.listContains(value, "close") { closesConnection = true }
                if ASCII.listContains(value, "keep-alive") { explicitKeepAlive = true }
            case 16 where ASCII.equalsIgnoringCase(name, "content-encoding"):
                if ASCII.listContains(value, "gzip") || ASCII.listContains(value, "x-gzip") { isGzip = true }
            case 8 where ASCII.equalsIgnoringCase(name, "location"):
                location = String(decoding: value, as: UTF8.self)
            default:
                break
            }
            if keepHeaders {
                headers.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
            }
        }
        if minorVersion == 0 && !explicitKeepAlive { closesConnection = true }
        if status >= 100 && status < 200 {
            if status == 101 { return "unexpected 101 Switching Protocols" }
            state = .head  // interim response: the real one follows
            return nil
        }
        if isHeadRequest || status == 204 || status == 304 {
            state = .complete
        } else if chunked {
            state = .chunkHeader
        } else if let contentLength {
            state = contentLength == 0 ? .complete : .fixed(remaining: contentLength)
        } else {
            closesConnection = true
            state = .untilClose
        }
        return nil
    }

    private mutating func parseStatusLine(_ line: UnsafeRawBufferPointer) -> String? {
        // "HTTP/1.1 200 OK": 12 bytes at least; the reason phrase is optional.
        var problem: String { "malformed status line \"\(Self.printable(Array(line.prefix(60))))\"" }
        guard line.count >= 12,
              line[0] == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"), line[2] == UInt8(ascii: "T"),
              line[3] == UInt8(ascii: "P"), line[4] == UInt8(ascii: "/"), line[5] == UInt8(ascii: "1"),
              line[6] == UInt8(ascii: "."), line[8] == ASCII.space,
              line.count == 12 || line[12] == ASCII.space
        else { return problem }
        guard line[7] == UInt8(ascii: "0") || line[7] == UInt8(ascii: "1") else { return problem }
        minorVersion = Int(line[7] - UInt8(ascii: "0"))
        var code = 0
        for index in 9..<12 {
            let digit = line[index]
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return problem }
            code = code * 10 + Int(digit - UInt8(ascii: "0"))
        }
        guard code >= 100 else { return problem }
        status = code
        return nil
    }

    private static func parseDecimal(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func parseChunkSize(_ line: [UInt8]) -> Int? {
        var value = 0
        var digits = 0
        for byte in line {
            let digit: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = Int(byte - UInt8(ascii: "A")) + 10
            case UInt8(ascii: ";"), ASCII.space, ASCII.tab:
                return digits > 0 ? value : nil
            default:
                return nil
            }
            digits += 1
            guard digits <= 15 else { return nil }
            value = value * 16 + digit
        }
        return digits > 0 ? value : nil
    }

    /// A short, printable rendering of raw bytes for error messages.
    static func printable(_ bytes: [UInt8]) -> String {
        String(bytes.prefix(60).map { $0 >= 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : "." })
    }
}
