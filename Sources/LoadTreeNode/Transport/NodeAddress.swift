/// Where a node listens or dials: `host:port`, `[::1]:port`, or `:port` (all interfaces).
public struct NodeAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses an address given on the command line. `defaultHost` fills `:port`.
    public init(parsing text: String, defaultHost: String = "0.0.0.0") throws(NodeAddressError) {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw .malformed(text)
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .malformed(text) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { throw .malformed(text) }
        }
        guard let port = Int(portText), (0...65_535).contains(port) else { throw .badPort(text) }
        if host.isEmpty { host = Substring(defaultHost) }
        self.init(host: String(host), port: port)
    }

    var isIPv6: Bool { host.contains(":") }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Why an address given on the command line is not usable.
public enum NodeAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    case malformed(String)
    case badPort(String)

    public var description: String {
        switch self {
        case .malformed(let text): "\"\(text)\" is not an address; expected HOST:PORT, [IPv6]:PORT or :PORT"
        case .badPort(let text): "\"\(text)\" has no valid port (0-65535)"
        }
    }
}
