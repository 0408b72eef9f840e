import NIOCore
import NIOSSL

/// Why a TLS connection could not be used, in words a user can act on.
///
/// A failed verification is data in a load test (a failed request with an `error_code`),
/// never a crash: it often means a plan points at the wrong host or lacks the test CA.
public enum TLSFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server's certificate chain does not lead to a trusted CA (or is expired or invalid).
    case certificateUntrusted(host: String, detail: String)
    /// The certificate is trusted but names other hosts than the one in the URL.
    case hostnameMismatch(host: String)
    /// The handshake did not finish within the connect timeout.
    case handshakeTimeout(host: String)
    /// Another handshake or record-layer failure (protocol mismatch, alert from the server, …).
    case handshakeFailed(host: String, detail: String)
    /// The client's TLS settings cannot be used (unreadable CA file, no certificate in it).
    case configuration(String)

    /// The reference tool's codes: 1300 generic TLS, 1310 unknown authority, 1311 host mismatch.
    public var errorCode: Int {
        switch self {
        case .certificateUntrusted: 1310
        case .hostnameMismatch: 1311
        case .handshakeTimeout, .handshakeFailed, .configuration: 1300
        }
    }

    public var description: String {
        switch self {
        case .certificateUntrusted(let host, let detail):
            "TLS: certificate verify failed for \(host): \(detail); trust the server's CA with "
                + "\"tls: {ca: FILE}\" in the plan, or set \"insecureSkipVerify: true\" for a test target"
        case .hostnameMismatch(let host):
            "TLS: certificate verify failed for \(host): the certificate is not valid for this host name; "
                + "use a host name the certificate lists"
        case .handshakeTimeout(let host):
            "TLS: no handshake with \(host) within the connect timeout; is the port serving TLS?"
        case .handshakeFailed(let host, let detail):
            "TLS: handshake with \(host) failed: \(detail)"
        case .configuration(let detail):
            "TLS: \(detail)"
        }
    }

    /// The failure for an error NIOSSL reported while connecting to `host`, or nil when the
    /// error is not about TLS.
    static func classify(_ error: any Error, host: String) -> TLSFailure? {
        if let extra = error as? NIOSSLExtraError {
            if extra == .failedToValidateHostname || extra == .serverHostnameImpossibleToMatch {
                return .hostnameMismatch(host: host)
            }
            return .handshakeFailed(host: host, detail: String(describing: extra))
        }
        guard let sslError = error as? NIOSSLError else { return nil }
        switch sslError {
        case .handshakeFailed(let boring):
            let text = String(describing: boring)
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return .certificateUntrusted(
                    host: host, detail: "the certificate chain does not lead to a trusted CA (or is expired)")
            }
            return .handshakeFailed(host: host, detail: text)
        case .uncleanShutdown:
            return nil  // the peer closed without close_notify: a reset, not a TLS problem
        default:
            return .handshakeFailed(host: host, detail: String(describing: sslError))
        }
    }
}
