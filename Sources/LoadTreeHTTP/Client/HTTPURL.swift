import NIOCore

/// An `http://` or `https://` URL split into the parts a request needs, parsed once.
///
/// Parsing a URL per request costs more than the request itself at tens of thousands of
/// requests per second, so requests carry this pre-parsed form. Only what HTTP needs is
/// kept: scheme, host (without IPv6 brackets), port, and the request target (path and query,
/// never empty, fragment removed). Percent-encoding is passed through untouched.
public struct HTTPURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL scheme: plain HTTP or HTTP over TLS.
    public enum Scheme: String, Sendable, Hashable {
        case http
        case https

        /// The port a URL without one means: 80 or 443.
        public var defaultPort: Int { self == .https ? 443 : 80 }
    }

    public let scheme: Scheme
    /// Host name or IP literal, without the brackets of an IPv6 literal.
    public let host: String
    public let port: Int
    /// Path and query as sent on the request line, e.g. `/items/1?x=2`.
    public let target: String

    /// Parses `http[s]://host[:port][/path][?query][#fragment]`.
    public init(_ text: String) throws(HTTPFailure) {
        let bytes = Array(text.utf8)
        guard let (scheme, prefixLength) = Self.scheme(of: bytes) else {
            throw .invalidURL("\(text): expected an absolute URL starting with http:// or https://")
        }
        var index = prefixLength
        let authorityStart = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "/"), bytes[index] != UInt8(ascii: "?"),
              bytes[index] != UInt8(ascii: "#") {
            index += 1
        }
        let authority = bytes[authorityStart..<index]
        let (host, port) = try Self.parseAuthority(authority, in: text, defaultPort: scheme.defaultPort)
        var target = Array(bytes[index...])
        if let hash = target.firstIndex(of: UInt8(ascii: "#")) {
            target.removeSubrange(hash...)
        }
        if target.first != UInt8(ascii: "/") {
            target.insert(UInt8(ascii: "/"), at: 0)
        }
        guard target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .invalidURL("\(text): the path contains spaces or non-ASCII characters; percent-encode them")
        }
        self.scheme = scheme
        self.host = host
        self.port = port
        self.target = String(decoding: target, as: UTF8.self)
    }

    /// The scheme a URL starts with (case-insensitively) and the length of `scheme://`.
    private static func scheme(of bytes: [UInt8]) -> (Scheme, Int)? {
        for scheme in [Scheme.http, .https] {
            let prefix = Array("\(scheme.rawValue)://".utf8)
            if bytes.count >= prefix.count, zip(bytes.prefix(prefix.count), prefix).allSatisfy({ ASCII.lower($0) == $1 }) {
                return (scheme, prefix.count)
            }
        }
        return nil
    }

    /// Builds a URL from parts already known to be valid (e.g. from another URL).
    public init(scheme: Scheme = .http, host: String, port: Int? = nil, target: String = "/") {
        self.scheme = scheme
        self.host = host
        self.port = port ?? scheme.defaultPort
        self.target = target.hasPrefix("/") ? target : "/" + target
    }

    /// The `Host` header value: the host, bracketed if IPv6, with the port unless it is the
    /// scheme's default.
    public var authority: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == scheme.defaultPort ? name : "\(name):\(port)"
    }

    /// Whether the host is an IP literal (IPv4 or IPv6) rather than a name: TLS sends no SNI
    /// for it and checks the certificate's IP addresses instead of its DNS names.
    public var hostIsIPAddress: Bool {
        (try? SocketAddress(ipAddress: host, port: port)) != nil
    }

    public var description: String { "\(scheme.rawValue)://\(authority)\(target)" }

    /// Resolves a `Location` header value against this URL: absolute, scheme-relative,
    /// absolute-path and relative-path references (dot segments are not collapsed).
    public func resolving(_ reference: String) throws(HTTPFailure) -> HTTPURL {
        let lowered = reference.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            return try HTTPURL(reference)
        }
        let origin = "\(scheme.rawValue)://\(authority)"
        if reference.hasPrefix("//") {
            return try HTTPURL("\(scheme.rawValue):" + reference)
        }
        if reference.hasPrefix("/") {
            return try HTTPURL(origin + reference)
        }
        var path = target
        if let query = path.firstIndex(of: "?") {
            path = String(path[..<query])
        }
        if reference.hasPrefix("?") {
            return try HTTPURL(origin + path + reference)
        }
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "/"
        return try HTTPURL(origin + directory + reference)
    }

    private static func parseAuthority(
        _ authority: ArraySlice<UInt8>, in text: String, defaultPort: Int
    ) throws(HTTPFailure) -> (String, Int) {
        if authority.contains(UInt8(ascii: "@")) {
            throw .invalidURL("\(text): user information in URLs is not supported; send an Authorization header")
        }
        var hostPart = authority
        var portPart: ArraySlice<UInt8>? = nil
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else {
                throw .invalidURL("\(text): unterminated IPv6 literal")
            }
            hostPart = authority[(authority.startIndex + 1)..<close]
            let rest = authority[(close + 1)...]
            if !rest.isEmpty {
                guard rest.first == UInt8(ascii: ":") else {
                    throw .invalidURL("\(text): unexpected characters after the IPv6 literal")
                }
                portPart = rest.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            hostPart = authority[..<colon]
            portPart = authority[(colon + 1)...]
        }
        guard !hostPart.isEmpty else {
            throw .invalidURL("\(text): the host is empty")
        }
        guard hostPart.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else {
            throw .invalidURL("\(text): the host contains invalid characters")
        }
        var port = defaultPort
        if let portPart {
            guard !portPart.isEmpty, portPart.count <= 5,
                  portPart.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  let value = Int(String(decoding: portPart, as: UTF8.self)), (1...65535).contains(value)
            else {
                throw .invalidURL("\(text): the port must be a number from 1 to 65535")
            }
            port = value
        }
        return (String(decoding: hostPart, as: UTF8.self).lowercased(), port)
    }
}
