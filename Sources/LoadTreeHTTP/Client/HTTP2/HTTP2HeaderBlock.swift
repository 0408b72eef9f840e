import CNghttp2

/// A request's HTTP/2 header list (pseudo-headers first), laid out once as the `nghttp2_nv`
/// array libnghttp2 takes.
///
/// Building `nghttp2_nv` pointer pairs from Swift strings per request would allocate per header
/// and per request. A request template keeps this block, so a constant request hands nghttp2
/// the same prepared array every time (nghttp2 copies names and values into its HPACK encoder
/// during the submit call) and submitting allocates nothing on the Swift side.
struct HTTP2HeaderBlock: Sendable {
    private let list: HTTP2NameValueList

    /// Headers HTTP/2 forbids (RFC 9113 8.2.2); `host` becomes `:authority`.
    private static let dropped: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host",
    ]

    init(method: String, url: HTTPURL, headers: [(String, String)], body: [UInt8]?) {
        let host = headers.first { ASCII.equalsIgnoringCase($0.0, "host") }?.1
        var fields: [(name: String, value: String)] = [
            (":method", method), (":scheme", url.scheme.rawValue), (":authority", host ?? url.authority), (":path", url.target),
        ]
        var hasLength = false
        for (name, value) in headers {
            let lowered = name.lowercased()
            if Self.dropped.contains(lowered) { continue }
            if lowered == "te", value.lowercased() != "trailers" { continue }
            if lowered == "content-length" { hasLength = true }
            fields.append((lowered, value))
        }
        if !hasLength, let body, !body.isEmpty || !["GET", "HEAD"].contains(method) {
            fields.append(("content-length", String(body.count)))
        }
        list = HTTP2NameValueList(fields)
    }

    /// Header names and values in wire order (for tests and debugging).
    var pairs: [(String, String)] { list.pairs }

    /// Calls `body` with the `nghttp2_nv` array; the pointers are valid only during the call.
    func withNameValues<Result>(_ body: (UnsafePointer<nghttp2_nv>, Int) -> Result) -> Result {
        withExtendedLifetime(list) { body(UnsafePointer(list.entries), list.count) }
    }
}

/// The memory behind an ``HTTP2HeaderBlock``: the names and values in one byte buffer and the
/// `nghttp2_nv` entries pointing into it, both allocated once and freed with the block.
///
/// `@unchecked Sendable` because it holds raw pointers: both buffers are written only in
/// `init` and only read afterwards (nghttp2 reads the entries and copies the bytes; no
/// NO_COPY flag is set), so sharing it between threads is safe.
private final class HTTP2NameValueList: @unchecked Sendable {
    let entries: UnsafeMutablePointer<nghttp2_nv>
    let count: Int
    private let bytes: UnsafeMutablePointer<UInt8>

    init(_ fields: [(name: String, value: String)]) {
        let size = fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
        bytes = .allocate(capacity: max(1, size))
        entries = .allocate(capacity: max(1, fields.count))
        count = fields.count
        var offset = 0
        for (index, field) in fields.enumerated() {
            let name = bytes + offset
            let nameCount = Self.copy(field.name, to: name)
            let value = name + nameCount
            let valueCount = Self.copy(field.value, to: value)
            offset += nameCount + valueCount
            (entries + index).initialize(
                to: nghttp2_nv(
                    name: name, value: value, namelen: nameCount, valuelen: valueCount, flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)
                )
            )
        }
    }

    deinit {
        entries.deinitialize(count: count)
        entries.deallocate()
        bytes.deallocate()
    }

    var pairs: [(String, String)] {
        (0..<count).map { index in
            let entry = entries[index]
            return (
                String(decoding: UnsafeBufferPointer(start: entry.name, count: entry.namelen), as: UTF8.self),
                String(decoding: UnsafeBufferPointer(start: entry.value, count: entry.valuelen), as: UTF8.self)
            )
        }
    }

    /// Copies `text`'s UTF-8 bytes to `target`; returns how many.
    private static func copy(_ text: String, to target: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 0
        for byte in text.utf8 {
            target[count] = byte
            count += 1
        }
        return count
    }
}
