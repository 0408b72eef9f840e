/// Byte-level ASCII helpers for the parsers, which work on raw bytes to avoid building
/// `String`s for header names the client does not keep.
enum ASCII {
    // Computed, not `static let`: a stored static with an initialiser call is a lazily
    // initialised global, and the parsers' byte loops would check its once-token per byte.
    static var cr: UInt8 { 0x0D }
    static var lf: UInt8 { 0x0A }
    static var space: UInt8 { 0x20 }
    static var tab: UInt8 { 0x09 }
    static var colon: UInt8 { 0x3A }

    /// Lower-cases an ASCII letter; other bytes are returned unchanged.
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// Whether `bytes` equals `lowercased` ignoring ASCII case (`lowercased` must be lower case).
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercased: StaticString) -> Bool {
        guard bytes.count == lowercased.utf8CodeUnitCount else { return false }
        let expected = lowercased.utf8Start
        for offset in 0..<bytes.count where lower(bytes[offset]) != expected[offset] {
            return false
        }
        return true
    }

    /// Whether two strings are equal ignoring ASCII case, without allocating.
    static func equalsIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return true
            case (let a?, let b?) where lower(a) == lower(b): continue
            default: return false
            }
        }
    }

    /// Whether `bytes` contains `token` (lower case) as a comma-separated element, ignoring case.
    static func listContains(_ bytes: UnsafeRawBufferPointer, _ token: StaticString) -> Bool {
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: ",") { end += 1 }
            let element = trimmed(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            if equalsIgnoringCase(element, token) { return true }
            start = end + 1
        }
        return false
    }

    /// `bytes` without leading and trailing spaces and tabs.
    static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var lowerBound = 0
        var upperBound = bytes.count
        while lowerBound < upperBound, bytes[lowerBound] == space || bytes[lowerBound] == tab { lowerBound += 1 }
        while upperBound > lowerBound, bytes[upperBound - 1] == space || bytes[upperBound - 1] == tab { upperBound -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[lowerBound..<upperBound])
    }

    /// Whether `byte` may appear in an HTTP token (method, header name).
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        // One bit per byte value below 128, in two words: no table in memory, no lazily
        // initialised global, for a check run on every byte of every header name.
        byte < 64 ? (tokenLow >> UInt64(byte)) & 1 == 1 : byte < 128 && (tokenHigh >> UInt64(byte - 64)) & 1 == 1
    }

    /// RFC 9110 `tchar` below 64: ``!#$%&'*+-.`` and the digits.
    private static var tokenLow: UInt64 { 0x03FF_6CFA_0000_0000 }
    /// RFC 9110 `tchar` from 64 to 127: the letters and ``^_`|~``.
    private static var tokenHigh: UInt64 { 0x57FF_FFFF_C7FF_FFFE }
}
