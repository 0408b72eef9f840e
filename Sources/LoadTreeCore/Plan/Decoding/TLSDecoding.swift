import Foundation
import Yams

/// The plan's `tls:` section.
extension PlanDecoder {
    func tlsSettings(_ node: Node, mark: Mark?, baseDirectory: String?) -> TLSSettings {
        guard let f = fields(node, context: "\"tls\"", mark: mark) else { return TLSSettings() }
        checkKeys(f, allowed: ["ca", "insecureSkipVerify"], hints: ["insecure": "insecureSkipVerify", "caFile": "ca"])
        var settings = TLSSettings()
        settings.insecureSkipVerify = bool(f, "insecureSkipVerify") ?? false
        if let ca = nonEmptyString(f, "ca") {
            settings.caFile = ca
            if let baseDirectory, let path = settings.caPath(planDirectory: baseDirectory) {
                checkCAFile(path, as: ca, at: f.value("ca")?.mark)
            }
        }
        if settings.insecureSkipVerify, settings.caFile != nil {
            error(f.keyMark("ca"), "\"ca\" in \"tls\" has no effect with \"insecureSkipVerify: true\"; remove one of them")
        }
        return settings
    }

    /// The CA file must be readable and hold a PEM certificate; the TLS layer checks the rest.
    private func checkCAFile(_ path: String, as written: String, at mark: Mark?) {
        guard let data = FileManager.default.contents(atPath: path) else {
            error(mark, "cannot read the CA file \"\(written)\" (looked for \(path)) of \"ca\" in \"tls\"")
            return
        }
        guard String(decoding: data, as: UTF8.self).contains("-----BEGIN CERTIFICATE-----") else {
            error(mark, "the CA file \"\(written)\" of \"ca\" in \"tls\" holds no PEM certificate "
                + "(expected -----BEGIN CERTIFICATE-----)")
            return
        }
    }
}
