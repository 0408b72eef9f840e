import Foundation

/// CPU time used by this process (user + system, all threads), from
/// `clock_gettime(CLOCK_PROCESS_CPUTIME_ID)`. The bench runs nothing else, so this is the
/// relay's or root's CPU; wall-clock time would count the moments the shared machine gave the
/// core to someone else.
enum CPUClock {
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
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
