import Foundation

/// How the summary prints a metric's figures: durations with a unit (`148.21ms`, `1.14s`),
/// sizes in SI units (`1.5 MB`), plain numbers without needless decimals.
public enum ValueFormat {
    /// A figure of a metric of the given kind. Time values are milliseconds.
    public static func value(_ v: Double, kind: ValueKind, timeUnit: TimeUnit? = nil) -> String {
        switch kind {
        case .time: duration(milliseconds: v, unit: timeUnit)
        case .data: bytes(v)
        case .default: number(v)
        }
    }

    /// A fixed unit for every duration (`--summary-time-unit`).
    public enum TimeUnit: String, Sendable, CaseIterable {
        case s, ms, us
    }

    public static func duration(milliseconds ms: Double, unit: TimeUnit? = nil) -> String {
        if let unit {
            switch unit {
            case .s: return String(format: "%.2fs", ms / 1000)
            case .ms: return String(format: "%.2fms", ms)
            case .us: return String(format: "%.2fµs", ms * 1000)
            }
        }
        let magnitude = abs(ms)
        if magnitude == 0 { return "0s" }
        if magnitude < 1 { return String(format: "%.2fµs", ms * 1000) }
        if magnitude < 1000 { return String(format: "%.2fms", ms) }
        if magnitude < 60_000 { return String(format: "%.2fs", ms / 1000) }
        let totalSeconds = ms / 1000
        let hours = Int(totalSeconds / 3600)
        let minutes = Int(totalSeconds.truncatingRemainder(dividingBy: 3600) / 60)
        let seconds = totalSeconds.truncatingRemainder(dividingBy: 60)
        let rest = String(format: "%dm%.1fs", minutes, seconds)
        return hours > 0 ? "\(hours)h\(rest)" : rest
    }

    public static func bytes(_ v: Double) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB"]
        var value = v
        var index = 0
        while abs(value) >= 1000, index < units.count - 1 {
            value /= 1000
            index += 1
        }
        return index == 0 ? "\(number(value)) B" : String(format: "%.1f %@", value, units[index])
    }

    /// Integers without decimals; others with up to 6 significant digits.
    public static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(format: "%.6g", v)
    }

    /// A per-second rate: `2.88/s`, or `140 kB/s` for data.
    public static func rate(_ perSecond: Double, kind: ValueKind) -> String {
        kind == .data ? bytes(perSecond) + "/s" : String(format: "%.2f/s", perSecond)
    }

    public static func percent(_ fraction: Double) -> String {
        String(format: "%.2f%%", fraction * 100)
    }
}
