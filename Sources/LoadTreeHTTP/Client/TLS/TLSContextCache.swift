import NIOConcurrencyHelpers
import NIOCore
import NIOSSL

/// The TLS contexts of one client: one `NIOSSLContext` per ALPN offer, built on first use and
/// shared by every VU and connection of the client.
///
/// A context holds the parsed trust store and BoringSSL's `SSL_CTX`; building one takes
/// milliseconds, so it must never happen per connection. The lock is taken once per new
/// connection, not per request.
final class TLSContextCache: Sendable {
    let options: TLSClientOptions
    private let contexts = NIOLockedValueBox<[ALPNOffer: NIOSSLContext]>([:])

    init(options: TLSClientOptions) {
        self.options = options
    }

    /// The context for connections offering `offer`.
    func context(for offer: ALPNOffer) throws(TLSFailure) -> NIOSSLContext {
        let options = self.options
        let result: Result<NIOSSLContext, TLSFailure> = contexts.withLockedValue { cache in
            if let context = cache[offer] { return .success(context) }
            do throws(TLSFailure) {
                let context = try Self.makeContext(options: options, offer: offer)
                cache[offer] = context
                return .success(context)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Builds a client context: system trust store plus the plan's CA file, or no verification.
    static func makeContext(options: TLSClientOptions, offer: ALPNOffer) throws(TLSFailure) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.applicationProtocols = offer.protocols
        if options.insecureSkipVerify {
            configuration.certificateVerification = .none
        } else {
            configuration.certificateVerification = .fullVerification
            configuration.trustRoots = .default
            if let caFile = options.caFile {
                configuration.additionalTrustRoots = [.certificates(try loadCertificates(caFile))]
            }
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .configuration("cannot build the TLS context: \(error)")
        }
    }

    /// The certificates of a PEM file, with an error naming the file when there are none.
    static func loadCertificates(_ path: String) throws(TLSFailure) -> [NIOSSLCertificate] {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(path)
        } catch {
            throw .configuration("cannot read CA file \"\(path)\": \(error); expected PEM certificates")
        }
        guard !certificates.isEmpty else {
            throw .configuration("CA file \"\(path)\" holds no PEM certificate")
        }
        return certificates
    }
}
