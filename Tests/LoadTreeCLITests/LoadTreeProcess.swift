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
        try start(arguments, in: directory).wait()
    }

    /// A started `loadtree` process, for tests that act on it while it runs (signals).
    struct Running {
        let process: Process
        let out: Pipe
        let err: Pipe

        /// Waits for the exit and collects both outputs.
        func wait() -> Result {
            // Read stderr on another thread while stdout is read here, so that neither pipe
            // can fill up and stall the child.
            let errData = LockedData()
            let reader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
            reader.start()
            let outData = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            while !errData.isSet { Thread.sleep(forTimeInterval: 0.01) }
            return Result(
                status: process.terminationStatus,
                stdout: String(decoding: outData, as: UTF8.self),
                stderr: String(decoding: errData.value, as: UTF8.self))
        }
    }

    static func start(_ arguments: [String], in directory: URL? = nil) throws -> Running {
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
        return Running(process: process, out: out, err: err)
    }
}

/// Bytes handed from a reader thread to the waiting test.
final class LockedData: @unchecked Sendable {
    // A lock guards both fields; `@unchecked` because NSLock-protected state is not checkable.
    private let lock = NSLock()
    private var data = Data()
    private var done = false

    func set(_ value: Data) {
        lock.lock()
        data = value
        done = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return done
    }

    var value: Data {
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}
