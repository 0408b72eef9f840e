import Foundation
import LoadTreeCore
import Testing

/// The plan's `tls:` section: defaults, values, and errors with their positions.
@Suite struct PlanTLSTests {
    private static let scenario = PlanTestSupport.defaultFlow + """
        scenarios:
          a: {executor: shared-iterations, iterations: 1}

        """

    @Test func defaultsVerifyWithTheSystemStore() throws {
        let plan = try PlanLoader.load(text: Self.scenario, fileName: "plan.yaml")
        #expect(plan.tls == TLSSettings())
        #expect(plan.tls.caFile == nil)
        #expect(!plan.tls.insecureSkipVerify)
    }

    @Test func readsInsecureSkipVerify() throws {
        let plan = try PlanLoader.load(text: Self.scenario + "tls: {insecureSkipVerify: true}\n", fileName: "plan.yaml")
        #expect(plan.tls.insecureSkipVerify)
    }

    @Test func readsACAFileRelativeToThePlan() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loadtree-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
            .write(to: directory.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
        let plan = try PlanLoader.load(text: Self.scenario + "tls: {ca: ca.pem}\n", fileName: "plan.yaml", baseDirectory: directory.path)
        #expect(plan.tls.caFile == "ca.pem")
        #expect(plan.tls.caPath(planDirectory: directory.path) == directory.appendingPathComponent("ca.pem").path)
        #expect(TLSSettings(caFile: "/abs/ca.pem").caPath(planDirectory: directory.path) == "/abs/ca.pem")
    }

    @Test func reportsErrorsWithPositions() {
        let errors = PlanTestSupport.errors(Self.scenario + """
            tls:
              insecure: true
              insecureSkipVerify: "yes"
            """)
        #expect(errors == [
            "plan.yaml:7:3: error: unknown key \"insecure\" in \"tls\"; did you mean \"insecureSkipVerify\"?",
            "plan.yaml:8:23: error: expected true or false for \"insecureSkipVerify\" in \"tls\", found \"yes\"",
        ])
    }

    @Test func aMissingOrNonPEMCAFileIsAnError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loadtree-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "hello\n".write(to: directory.appendingPathComponent("bad.pem"), atomically: true, encoding: .utf8)
        for (file, message) in [("missing.pem", "cannot read the CA file \"missing.pem\""), ("bad.pem", "holds no PEM certificate")] {
            do {
                _ = try PlanLoader.load(text: Self.scenario + "tls: {ca: \(file)}\n", fileName: "plan.yaml", baseDirectory: directory.path)
                Issue.record("\(file) was accepted")
            } catch {
                let lines = error.errors.map(\.description)
                #expect(lines.count == 1)
                #expect(lines.first?.hasPrefix("plan.yaml:6:11: error: ") == true)
                #expect(lines.first?.contains(message) == true)
            }
        }
    }

    @Test func caAndInsecureTogetherIsAnError() {
        let errors = PlanTestSupport.errors(Self.scenario + "tls: {ca: x.pem, insecureSkipVerify: true}\n")
        #expect(errors.count == 1)
        #expect(errors.first?.contains("has no effect with \"insecureSkipVerify: true\"") == true)
    }
}
