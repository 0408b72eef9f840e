import Foundation

/// CPU time used by this process (user + system, all threads), from `getrusage`. The bench
/// runs nothing else, so this is the relay's or root's CPU; wall-clock time would count the
/// moments the shared machine gave the core to someone else.
enum CPUClock {
    static func now() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF, &usage)
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    private static func seconds(_ time: timeval) -> Double {
        Double(time.tv_sec) + Double(time.tv_usec) / 1e6
    }

    /// CPU seconds spent by `body`.
    static func measure(_ body: () async throws -> Void) async rethrows -> Double {
        let start = now()
        try await body()
        return now() - start
    }
}

/// `cpu` seconds spent per `simulated` seconds of test time, as a percentage of one core.
func percentOfCore(_ cpu: Double, per simulated: Int) -> String {
    String(format: "%6.2f %% of a core", cpu / Double(simulated) * 100)
}

func row(_ label: String, _ value: String) {
    let padded = label.count >= 46 ? label : label + String(repeating: " ", count: 46 - label.count)
    print("  \(padded) \(value)")
}
