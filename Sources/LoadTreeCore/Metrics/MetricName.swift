/// A metric name that the reference tool would also accept, so that thresholds and outputs
/// written for it keep working: `^[a-zA-Z_][a-zA-Z0-9_]{1,128}$` (2 to 129 ASCII characters).
public struct MetricName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The validated text.
    public let rawValue: String

    /// Validates `text` as a metric name.
    ///
    /// - Throws: ``MetricNameError`` saying which rule the text breaks.
    public init(_ text: String) throws(MetricNameError) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes.count <= 129 else {
            throw .badLength(text, bytes.count)
        }
        for (offset, byte) in bytes.enumerated() {
            let letter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
            let digit = byte >= 0x30 && byte <= 0x39
            if offset == 0 && !letter {
                throw .badFirstCharacter(text)
            }
            if !letter && !digit {
                throw .badCharacter(text, offset: offset)
            }
        }
        self.rawValue = text
    }

    public var description: String { rawValue }

    public static func < (lhs: MetricName, rhs: MetricName) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Why a text is not a valid metric name.
public enum MetricNameError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Fewer than 2 or more than 129 characters.
    case badLength(String, Int)
    /// Starts with something other than an ASCII letter or `_`.
    case badFirstCharacter(String)
    /// Contains something other than ASCII letters, digits and `_` (byte offset given).
    case badCharacter(String, offset: Int)

    public var description: String {
        switch self {
        case .badLength(let text, let count):
            "metric name \"\(text)\" has \(count) characters; names need 2 to 129 "
                + "(letters, digits and _, starting with a letter or _)"
        case .badFirstCharacter(let text):
            "metric name \"\(text)\" must start with a letter or _"
        case .badCharacter(let text, let offset):
            "metric name \"\(text)\" has a character other than a letter, digit or _ at position \(offset + 1); "
                + "names match ^[a-zA-Z_][a-zA-Z0-9_]{1,128}$"
        }
    }
}
