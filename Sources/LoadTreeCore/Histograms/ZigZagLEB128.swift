/// The variable-length integer form of HdrHistogram V2 counts: ZigZag, then LEB128 capped at
/// 9 bytes (8 groups of 7 bits, then one full byte for the top 8 bits).
///
/// Kept apart from the codec because it is the one place where a malicious input could ask
/// for unbounded reading; here every read is bounded to 9 bytes.
enum ZigZagLEB128 {
    /// Appends `value` to `bytes`.
    static func append(_ value: Int64, to bytes: inout [UInt8]) {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        for _ in 0..<8 {
            if v >> 7 == 0 {
                bytes.append(UInt8(v))
                return
            }
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    /// Reads one value starting at `offset`, advancing it; nil when the bytes run out first.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, at offset: inout Int) -> Int64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var index = offset
        while true {
            guard index < bytes.count else { return nil }
            let byte = bytes[index]
            index += 1
            if shift == 56 {
                // The ninth byte carries 8 full bits and no continuation flag.
                result |= UInt64(byte) << 56
                break
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { break }
            shift += 7
        }
        offset = index
        let decoded = Int64(bitPattern: result >> 1) ^ -Int64(bitPattern: result & 1)
        return decoded
    }
}
