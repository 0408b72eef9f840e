#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The machine's real-time clock in Unix nanoseconds: what nodes on different machines agree on
/// (through NTP) when the root names one instant for everyone, and what outputs stamp their
/// lines with, unlike monotonic run clocks. The one reading of wall-clock time in the project.
public enum WallClock {
    public static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
