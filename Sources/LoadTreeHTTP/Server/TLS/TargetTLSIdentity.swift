import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the embedded target's certificate could not be made or written.
public enum TargetTLSError: Error, Sendable, CustomStringConvertible {
    case certificateGeneration(String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .certificateGeneration(let reason):
            "cannot generate the target's TLS certificate: \(reason)"
        case .writeFailed(let path, let reason):
            "cannot write the CA certificate to \"\(path)\": \(reason); check the directory exists and is writable"
        }
    }
}

/// A throwaway certificate authority and a server certificate it signed, made when the
/// embedded target starts, so HTTPS can be tested with nothing installed.
///
/// A separate CA (rather than one self-signed leaf) is what real deployments look like: a plan
/// trusts the CA (`tls: {ca: FILE}`, the file `--write-ca` writes) and the server presents the
/// leaf. Keys are P-256; the leaf names `localhost`, `127.0.0.1` and `::1` unless told
/// otherwise, and is valid from an hour ago for 30 days.
public struct TargetTLSIdentity: Sendable {
    /// The CA certificate, PEM: what a client must trust.
    public let caCertificatePEM: String
    /// The server certificate, PEM.
    public let certificatePEM: String
    /// The server certificate's private key, PEM (PKCS#8).
    let privateKeyPEM: String
    /// Names the server certificate is valid for.
    public let names: [String]

    /// Generates a new CA and a server certificate for `names` (host names or IP literals).
    public static func generate(names: [String] = ["localhost", "127.0.0.1", "::1"]) throws(TargetTLSError) -> TargetTLSIdentity {
        do {
            let now = Date()
            let caKey = P256.Signing.PrivateKey()
            let caName = try DistinguishedName {
                OrganizationName("LoadTree")
                CommonName("LoadTree test CA (generated)")
            }
            let caCertificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(caKey.publicKey),
                notValidBefore: now - 3600, notValidAfter: now + 30 * 86400, issuer: caName, subject: caName,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                },
                issuerPrivateKey: .init(caKey)
            )
            let serverKey = P256.Signing.PrivateKey()
            let serverName = try DistinguishedName {
                OrganizationName("LoadTree")
                CommonName(names.first ?? "localhost")
            }
            let alternativeNames = try names.map { name throws(TargetTLSError) in try generalName(name) }
            let serverCertificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(serverKey.publicKey),
                notValidBefore: now - 3600, notValidAfter: now + 30 * 86400, issuer: caName, subject: serverName,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([.serverAuth])
                    SubjectAlternativeNames(alternativeNames)
                },
                issuerPrivateKey: .init(caKey)
            )
            return TargetTLSIdentity(
                caCertificatePEM: try caCertificate.serializeAsPEM().pemString,
                certificatePEM: try serverCertificate.serializeAsPEM().pemString,
                privateKeyPEM: serverKey.pemRepresentation,
                names: names
            )
        } catch let error as TargetTLSError {
            throw error
        } catch {
            throw .certificateGeneration(String(describing: error))
        }
    }

    /// Writes the CA certificate to `path`, for a plan's `tls: {ca: path}` or `curl --cacert`.
    public func writeCACertificate(to path: String) throws(TargetTLSError) {
        do {
            try (caCertificatePEM + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw .writeFailed(path: path, reason: error.localizedDescription)
        }
    }

    /// A server context presenting the certificate, offering `applicationProtocols` by ALPN.
    func makeServerContext(applicationProtocols: [String]) throws(TargetTLSError) -> NIOSSLContext {
        do {
            let certificate = try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem)
            let key = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(certificate)], privateKey: .privateKey(key)
            )
            configuration.applicationProtocols = applicationProtocols
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .certificateGeneration("the generated certificate was not accepted by TLS: \(error)")
        }
    }

    /// A DNS name, or the bytes of an IPv4/IPv6 literal.
    private static func generalName(_ name: String) throws(TargetTLSError) -> GeneralName {
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(withUnsafeBytes(of: &v4) { Array($0) })))
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, name, &v6) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(withUnsafeBytes(of: &v6) { Array($0) })))
        }
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .certificateGeneration("\"\(name)\" is neither a host name nor an IP address")
        }
        return .dnsName(name)
    }
}
