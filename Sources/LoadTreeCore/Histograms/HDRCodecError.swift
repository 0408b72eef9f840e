/// Why a histogram could not be encoded or decoded.
///
/// Decoding reads bytes that came over the network from another node, so every way the
/// bytes can be wrong has its own case, and none of them traps.
public enum HDRCodecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ends before a header, a count or the declared payload is complete.
    case truncated(needed: Int, available: Int)
    /// The first four bytes are not an HdrHistogram V2 cookie of the expected kind.
    case badCookie(found: UInt32, expected: UInt32)
    /// A declared length disagrees with the bytes that are actually there.
    case lengthMismatch(declared: Int, actual: Int)
    /// The input, or what it decompresses to, exceeds the configured limit.
    case tooLarge(what: String, size: Int, limit: Int)
    /// The header describes a histogram that cannot exist or that this build refuses.
    case invalidConfiguration(String)
    /// A feature of the format this implementation does not support.
    case unsupported(String)
    /// The counts refer to a slot beyond the histogram's counts array.
    case indexOutOfRange(index: Int, countsLength: Int)
    /// A variable-length count uses more than the 9 bytes the format allows, or is malformed.
    case malformedCount(offset: Int)
    /// The counts add up to more than 2^64 − 1.
    case totalCountOverflow
    /// A count is too large for the format's signed 64-bit words (encoding only).
    case countTooLarge(UInt64)
    /// The DEFLATE stream is corrupt.
    case compression(String)
    /// The text is not valid base64.
    case invalidBase64

    public var description: String {
        switch self {
        case .truncated(let needed, let available):
            "HDR histogram data is truncated: needed \(needed) bytes, found \(available); "
                + "the sender or the transport cut it short"
        case .badCookie(let found, let expected):
            "not an HDR histogram V2 encoding: cookie 0x\(String(found, radix: 16)), "
                + "expected 0x\(String(expected, radix: 16))"
        case .lengthMismatch(let declared, let actual):
            "HDR histogram length field says \(declared) bytes but \(actual) follow; the data is corrupt"
        case .tooLarge(let what, let size, let limit):
            "HDR histogram \(what) is \(size) bytes, over the limit of \(limit); "
                + "raise the decode limit if this histogram is legitimate"
        case .invalidConfiguration(let reason):
            "HDR histogram header is invalid: \(reason)"
        case .unsupported(let feature):
            "HDR histogram uses an unsupported feature: \(feature)"
        case .indexOutOfRange(let index, let countsLength):
            "HDR histogram counts reach slot \(index) but the histogram has only \(countsLength) slots; the data is corrupt"
        case .malformedCount(let offset):
            "HDR histogram count at payload byte \(offset) is malformed (more than 9 bytes or a bad value)"
        case .totalCountOverflow:
            "HDR histogram counts add up to more than 2^64 - 1; the data is corrupt"
        case .countTooLarge(let count):
            "a histogram count of \(count) does not fit the V2 format's signed 64-bit counts"
        case .compression(let reason):
            "HDR histogram DEFLATE stream is corrupt: \(reason)"
        case .invalidBase64:
            "HDR histogram text is not valid base64"
        }
    }
}
