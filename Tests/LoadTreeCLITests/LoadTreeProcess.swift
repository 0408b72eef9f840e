import Foundation

/// Runs the built `loadtree` binary, the way a user or a script would.
struct LoadTreeProcess {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        /// Standard output parsed as a JSON object.
        func jsonObject() throws -> [String: Any] {
            let value = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
            guard let object = value as? [String: Any] else { throw CLITestError.notAnObject(stdout) }
            return object
        }
    }

    enum CLITestError: Error { case notAnObject(String), binaryMissing(String) }

    /// `loadtree` next to the test bundle (`.build/<config>/loadtree`), or `$LOADTREE_BIN`.
    static var binary: URL {
        get throws {
            if let path = ProcessInfo.processInfo.environment["LOADTREE_BIN"] {
                return URL(fileURLWithPath: path)
            }
            var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            // On macOS the runner sits inside the .xctest bundle; walk up to the products folder.
            while directory.pathComponents.count > 1 {
                let candidate = directory.appendingPathComponent("loadtree")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                directory.deleteLastPathComponent()
            }
            throw CLITestError.binaryMissing(CommandLine.arguments[0])
        }
    }

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = try binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes before waiting so a large output cannot fill a pipe and stall the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
