import Foundation
import LoadTreeCore

/// Shared helpers for plan tests.
enum PlanTestSupport {
    /// The package root, found by walking up from this file to `Package.swift`.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        return url
    }()

    static let fixtures = packageRoot.appendingPathComponent("Tests/LoadTreeCoreTests/Fixtures/plans")

    /// The error lines for a plan that must fail; empty if it loads.
    static func errors(_ text: String, file: String = "plan.yaml") -> [String] {
        do {
            _ = try PlanLoader.load(text: text, fileName: file)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    /// A flow section that makes scenario snippets valid on their own.
    static let defaultFlow = """
        flows:
          default:
            - request: {url: "http://127.0.0.1:8080/"}

        """
}
