import Foundation

/// The plan's data files an agent received, written where its plan can find them: a fresh
/// directory of their own, removed after the run.
enum PlanFiles {
    static func write(_ files: [String: [UInt8]], for node: String) throws -> String {
        let safe = node.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("loadtree-\(String(safe))-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (path, content) in files {
            let target = (directory as NSString).appendingPathComponent(path)
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: target, contents: Data(content)) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target])
            }
        }
        return directory
    }

    static func remove(_ directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
