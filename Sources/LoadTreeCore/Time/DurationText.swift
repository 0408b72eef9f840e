/// Reading and writing durations the way users write them in plans and see them in output.
///
/// Plans write durations as `1m30s`, `500ms`, `1.5s`, `2h`, `1d` (units `ns`, `us`, `µs`, `ms`,
/// `s`, `m`, `h`, `d`, combinable, decimals allowed) or as a bare number of milliseconds, as the
/// reference tool accepts. Output uses the reference's format (`1m30s`, `10m0s`, `500ms`).
public enum DurationText {
    /// Parses `text` into a duration.
    ///
    /// - Throws: ``DurationTextError`` naming what was wrong with the text.
    public static func parse(_ text: String) throws(DurationTextError) -> Duration {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        if let milliseconds = Double(trimmed), milliseconds.isFinite {
            return try fromNanoseconds(milliseconds * 1_000_000, text: text)
        }
        var scalars = Array(trimmed.unicodeScalars)
        var negative = false
        if scalars.first == "-" || scalars.first == "+" {
            negative = scalars.first == "-"
            scalars.removeFirst()
        }
        guard !negative else { throw .negative(text) }
        var index = 0
        var totalNanoseconds: Double = 0
        var sawComponent = false
        while index < scalars.count {
            let numberStart = index
            while index < scalars.count, scalars[index].properties.numericType != nil || scalars[index] == "." {
                index += 1
            }
            let numberText = String(String.UnicodeScalarView(scalars[numberStart..<index]))
            guard let value = Double(numberText), !numberText.isEmpty else {
                throw .malformed(text)
            }
            let unitStart = index
            while index < scalars.count, scalars[index].properties.numericType == nil, scalars[index] != "." {
                index += 1
            }
            let unit = String(String.UnicodeScalarView(scalars[unitStart..<index]))
            guard let scale = unitNanoseconds[unit] else {
                throw unit.isEmpty ? .missingUnit(text) : .unknownUnit(unit, text)
            }
            totalNanoseconds += value * scale
            sawComponent = true
        }
        guard sawComponent else { throw .malformed(text) }
        return try fromNanoseconds(totalNanoseconds, text: text)
    }

    /// Formats a duration the way the reference tool prints one: `1h2m3.5s`, `10m0s`, `250ms`.
    public static func format(_ duration: Duration) -> String {
        var nanoseconds = duration.nanoseconds
        if nanoseconds == 0 { return "0s" }
        var sign = ""
        if nanoseconds < 0 {
            sign = "-"
            nanoseconds = nanoseconds == Int64.min ? Int64.max : -nanoseconds
        }
        if nanoseconds < 1_000_000_000 {
            if nanoseconds < 1_000 { return "\(sign)\(nanoseconds)ns" }
            if nanoseconds < 1_000_000 { return sign + decimal(nanoseconds, scale: 1_000) + "µs" }
            return sign + decimal(nanoseconds, scale: 1_000_000) + "ms"
        }
        let hours = nanoseconds / 3_600_000_000_000
        let minutes = (nanoseconds / 60_000_000_000) % 60
        let secondsPart = nanoseconds % 60_000_000_000
        var out = sign
        if hours > 0 { out += "\(hours)h" }
        if hours > 0 || minutes > 0 { out += "\(minutes)m" }
        out += decimal(secondsPart, scale: 1_000_000_000) + "s"
        return out
    }

    private static let unitNanoseconds: [String: Double] = [
        "ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
        "m": 60_000_000_000, "h": 3_600_000_000_000, "d": 86_400_000_000_000,
    ]

    private static func fromNanoseconds(_ value: Double, text: String) throws(DurationTextError) -> Duration {
        guard value >= 0 else { throw .negative(text) }
        guard value < 9.2e18 else { throw .tooLong(text) }
        return .nanoseconds(Int64(value.rounded()))
    }

    /// `value / scale` printed with the fraction's trailing zeros removed.
    private static func decimal(_ value: Int64, scale: Int64) -> String {
        let whole = value / scale
        var fraction = value % scale
        guard fraction != 0 else { return "\(whole)" }
        var digits = 0
        var s = scale
        while s > 1 { s /= 10; digits += 1 }
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        let fractionText = String(fraction)
        return "\(whole)." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }
}

/// Why a duration could not be read.
public enum DurationTextError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case malformed(String)
    case missingUnit(String)
    case unknownUnit(String, String)
    case negative(String)
    case tooLong(String)

    public var description: String {
        switch self {
        case .empty:
            "expected a duration such as 30s, 1m30s or 500ms, found an empty value"
        case .malformed(let text):
            "expected a duration such as 30s, 1m30s or 500ms, found \"\(text)\""
        case .missingUnit(let text):
            "duration \"\(text)\" needs a unit after each number (ns, us, ms, s, m, h, d)"
        case .unknownUnit(let unit, let text):
            "unknown unit \"\(unit)\" in duration \"\(text)\"; use ns, us, ms, s, m, h or d"
        case .negative(let text):
            "duration \"\(text)\" is negative; durations must be zero or more"
        case .tooLong(let text):
            "duration \"\(text)\" is too long (the limit is about 292 years)"
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating at `Int64`'s range.
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
