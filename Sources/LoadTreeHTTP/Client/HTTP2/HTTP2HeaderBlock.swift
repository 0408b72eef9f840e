import CNghttp2

/// A request's HTTP/2 header list (pseudo-headers first), laid out once in one byte array.
///
/// libnghttp2 takes headers as `nghttp2_nv` pointer pairs; building them from Swift strings per
/// request would allocate per header. A request template keeps this block, so a constant
/// request hands nghttp2 the same bytes every time and nghttp2 copies them into its HPACK
/// encoder.
struct HTTP2HeaderBlock: Sendable {
    private struct Field: Sendable {
        var nameStart: Int
        var nameCount: Int
        var valueStart: Int
        var valueCount: Int
    }

    private var bytes: [UInt8] = []
    private var fields: [Field] = []

    /// Headers HTTP/2 forbids (RFC 9113 8.2.2); `host` becomes `:authority`.
    private static let dropped: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host",
    ]

    init(method: String, url: HTTPURL, headers: [(String, String)], body: [UInt8]?) {
        let host = headers.first { ASCII.equalsIgnoringCase($0.0, "host") }?.1
        append(":method", method)
        append(":scheme", url.scheme.rawValue)
        append(":authority", host ?? url.authority)
        append(":path", url.target)
        var hasLength = false
        for (name, value) in headers {
            let lowered = name.lowercased()
            if Self.dropped.contains(lowered) { continue }
            if lowered == "te", value.lowercased() != "trailers" { continue }
            if lowered == "content-length" { hasLength = true }
            append(lowered, value)
        }
        if !hasLength, let body, !body.isEmpty || !["GET", "HEAD"].contains(method) {
            append("content-length", String(body.count))
        }
    }

    /// Header names and values in wire order (for tests and debugging).
    var pairs: [(String, String)] {
        fields.map {
            (
                String(decoding: bytes[$0.nameStart..<($0.nameStart + $0.nameCount)], as: UTF8.self),
                String(decoding: bytes[$0.valueStart..<($0.valueStart + $0.valueCount)], as: UTF8.self)
            )
        }
    }

    /// Calls `body` with the `nghttp2_nv` array; the pointers are valid only during the call.
    func withNameValues<Result>(_ body: (UnsafePointer<nghttp2_nv>, Int) -> Result) -> Result {
        bytes.withUnsafeBufferPointer { storage in
            // nghttp2 only reads these bytes (it copies names and values, no NO_COPY flags), so
            // handing it a mutable view of immutable storage is sound.
            let base = UnsafeMutablePointer(mutating: storage.baseAddress)
            let list = fields.map { field in
                nghttp2_nv(
                    name: base.map { $0 + field.nameStart }, value: base.map { $0 + field.valueStart },
                    namelen: field.nameCount, valuelen: field.valueCount, flags: UInt8(NGHTTP2_NV_FLAG_NONE.rawValue)
                )
            }
            return list.withUnsafeBufferPointer { nv in
                guard let start = nv.baseAddress else { preconditionFailure("a request always has pseudo-headers") }
                return body(start, nv.count)
            }
        }
    }

    private mutating func append(_ name: String, _ value: String) {
        let nameStart = bytes.count
        bytes.append(contentsOf: name.utf8)
        let valueStart = bytes.count
        bytes.append(contentsOf: value.utf8)
        fields.append(
            Field(nameStart: nameStart, nameCount: valueStart - nameStart, valueStart: valueStart, valueCount: bytes.count - valueStart)
        )
    }
}
