/// The application protocols a connection offers in the TLS handshake (ALPN), most wanted
/// first.
///
/// A request's HTTP version decides the offer: version 1.1 offers only `http/1.1`, "auto"
/// offers `h2` then `http/1.1` and lets the server choose. The client keeps one TLS context
/// per offer, since ALPN is part of the context.
public struct ALPNOffer: Sendable, Hashable, CustomStringConvertible {
    /// Protocol identifiers as registered with IANA (`h2`, `http/1.1`).
    public let protocols: [String]

    public init(_ protocols: [String]) {
        self.protocols = protocols
    }

    /// HTTP/1.1 only.
    public static let http1 = ALPNOffer([ALPNOffer.http1Identifier])
    /// HTTP/2 preferred, HTTP/1.1 accepted: the offer for version "auto".
    public static let h2OrHTTP1 = ALPNOffer([ALPNOffer.h2Identifier, ALPNOffer.http1Identifier])
    /// HTTP/2 only.
    public static let h2 = ALPNOffer([ALPNOffer.h2Identifier])

    public static let http1Identifier = "http/1.1"
    public static let h2Identifier = "h2"

    public var description: String { protocols.joined(separator: ",") }
}
