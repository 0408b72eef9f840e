import Foundation
import LoadTreeHTTP
import Testing

/// `loadtree run` against the embedded target's HTTPS listener: a trusted CA, verification
/// off (announced as INSECURE), and a verification failure counted as failed requests.
@Suite(.serialized) struct RunTLSTests {
    static func plan(base: String, tls: String) -> String {
        """
        tls: \(tls)
        flows:
          default:
            - request:
                url: \(base)/json
                checks: [{status: 200}]
        scenarios:
          few:
            executor: shared-iterations
            vus: 1
            iterations: 3
        """
    }

    static func withTLSTarget(_ body: (_ base: String, _ caFile: String) async throws -> Void) async throws {
        let identity = try TargetTLSIdentity.generate()
        let caFile = try TestFiles.write("", name: "ca.pem")
        try identity.writeCACertificate(to: caFile)
        let target = try await TargetServer.start(host: "127.0.0.1", port: 0, tls: TargetTLS(identity: identity))
        do {
            try await body("https://localhost:\(target.port)", caFile)
        } catch {
            await target.shutdown()
            throw error
        }
        await target.shutdown()
    }

    @Test func trustedCARunsCleanlyAndTimesTheHandshake() async throws {
        try await Self.withTLSTarget { base, caFile in
            let planPath = try TestFiles.write(Self.plan(base: base, tls: "{ca: \"\(caFile)\"}"))
            let exportPath = planPath + ".summary.json"
            let result = try LoadTreeProcess.run(["run", planPath, "--quiet", "--summary-export", exportPath])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stdout.contains("INSECURE"))
            let data = try Data(contentsOf: URL(fileURLWithPath: exportPath))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let metrics = try #require(json["metrics"] as? [String: [String: Any]])
            let handshake = try #require(metrics["http_req_tls_handshaking"])
            #expect((handshake["max"] as? Double ?? 0) > 0)
            #expect((handshake["min"] as? Double) == 0)  // the 2nd and 3rd requests reuse the connection
            #expect((metrics["http_req_failed"]?["value"] as? Double) == 0)
        }
    }

    @Test func insecureSkipVerifyIsAnnouncedInHeaderAndSummary() async throws {
        try await Self.withTLSTarget { base, _ in
            let result = try LoadTreeProcess.run(["run", try TestFiles.write(Self.plan(base: base, tls: "{insecureSkipVerify: true}")), "--quiet"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("INSECURE: TLS verification is off"))
            #expect(result.stdout.contains("INSECURE: TLS verification is off"))
        }
    }

    @Test func anUntrustedCertificateFailsTheRequestsNotTheRun() async throws {
        try await Self.withTLSTarget { base, _ in
            let planPath = try TestFiles.write(Self.plan(base: base, tls: "{}"))
            let exportPath = planPath + ".summary.json"
            let result = try LoadTreeProcess.run(["run", planPath, "--quiet", "--summary-export", exportPath])
            #expect(result.status == 0, "\(result.stderr)")
            let data = try Data(contentsOf: URL(fileURLWithPath: exportPath))
            let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let metrics = try #require(json["metrics"] as? [String: [String: Any]])
            #expect((metrics["http_req_failed"]?["value"] as? Double) == 1)
            #expect((metrics["http_req_failed"]?["passes"] as? Double) == 3)
            // The summary counts the failures by cause: 1310 is an unknown authority.
            let row = try #require(result.stdout.split(separator: "\n").first { $0.contains("{ error_code:1310 }") })
            #expect(row.contains("3 out of 3"))
        }
    }

    @Test func aMissingCAFileIsAPlanError() throws {
        let result = try LoadTreeProcess.run(["run", try TestFiles.write(Self.plan(base: "https://localhost:1", tls: "{ca: missing.pem}")), "--quiet"])
        #expect(result.status == 104)
        #expect(result.stderr.contains("plan.yaml:1:"))
        #expect(result.stderr.contains("cannot read the CA file \"missing.pem\""))
    }
}
