import Foundation

/// The cores this process may run on: with `taskset -c 1`, one, whatever the machine has.
/// Sizing the HTTP event loops to it avoids loops fighting over a single core.
public enum ProcessorAffinity {
    public static var usableCores: Int {
        // Linux lists the allowed CPUs in /proc (`Cpus_allowed_list:	0-1,4`).
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }),
           let count = count(line.dropFirst("Cpus_allowed_list:".count)), count > 0 {
            return count
        }
        return ProcessInfo.processInfo.activeProcessorCount
    }

    /// The number of CPUs in a list like `0-3,6,8-9`; nil when it does not parse.
    static func count(_ list: Substring) -> Int? {
        var total = 0
        for part in list.split(separator: ",") {
            let bounds = part.trimmingCharacters(in: .whitespaces).split(separator: "-")
            guard let first = bounds.first.flatMap({ Int($0) }) else { return nil }
            let last = bounds.count == 2 ? Int(bounds[1]) : first
            guard let last, last >= first else { return nil }
            total += last - first + 1
        }
        return total
    }
}
