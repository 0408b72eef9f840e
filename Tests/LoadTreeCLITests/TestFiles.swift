import Foundation

/// Files the CLI tests hand to the binary.
enum TestFiles {
    /// The package's root directory, found from this source file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Writes `text` to a fresh temporary file with the given name and returns its path.
    static func write(_ text: String, name: String = "plan.yaml") throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("loadtree-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}
