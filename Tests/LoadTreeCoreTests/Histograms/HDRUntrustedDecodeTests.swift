import Foundation
import Histogram
import LoadTreeTestSupport
import PropertyBased
import Testing
@testable import LoadTreeCore

/// Decoding reads what another node sent: every malformed input must end in a typed error,
/// never a trap, a hang or an unbounded allocation.
@Suite struct HDRUntrustedDecodeTests {
    private func sampleHistogram(_ seed: UInt64 = 7) -> Histogram<UInt64> {
        var rng = SplitMix64(seed: seed)
        var histogram = TrendHistogram(unit: .plain).histogram
        for _ in 0..<60 {
            histogram.record(UInt64.random(in: 0...(1 << UInt64.random(in: 0...31, using: &rng)), using: &rng),
                             count: UInt64.random(in: 1...1_000_000, using: &rng))
        }
        return histogram
    }

    /// A header followed by `payload`, with the payload length filled in.
    private func uncompressed(
        payload: [UInt8], digits: UInt32 = 3, lowest: UInt64 = 1, highest: UInt64 = 3_600_000_000, offset: UInt32 = 0
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) } }
        put(HDRCodec.encodingCookie)
        put(UInt32(payload.count))
        put(offset)
        put(digits)
        put(lowest)
        put(highest)
        put(Double(1).bitPattern)
        return bytes + payload
    }

    private func zigzag(_ values: [Int64]) -> [UInt8] {
        var bytes: [UInt8] = []
        for value in values { ZigZagLEB128.append(value, to: &bytes) }
        return bytes
    }

    private func compressed(_ inner: [UInt8], declaredLength: UInt32? = nil) throws -> [UInt8] {
        let deflated = try Zlib.deflate(inner)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: HDRCodec.compressedCookie.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: (declaredLength ?? UInt32(deflated.count)).bigEndian) { bytes.append(contentsOf: $0) }
        return bytes + deflated
    }

    @Test func everyTruncationIsRejected() throws {
        let histogram = sampleHistogram()
        for encoding in [try HDRCodec.encode(histogram), try HDRCodec.encodeCompressed(histogram)] {
            #expect(try HDRCodec.decode(encoding) == histogram)
            for length in 0..<encoding.count {
                #expect(throws: HDRCodecError.self, "prefix of \(length) bytes") {
                    try HDRCodec.decode(Array(encoding.prefix(length)))
                }
            }
        }
    }

    @Test func wrongCookies() throws {
        let valid = try HDRCodec.encode(sampleHistogram())
        for cookie: [UInt8] in [[0xde, 0xad, 0xbe, 0xef], [0x1c, 0x84, 0x93, 0x01], [0x1c, 0x84, 0x93, 0x12], [0, 0, 0, 0]] {
            #expect(throws: HDRCodecError.self) { try HDRCodec.decode(cookie + valid.dropFirst(4)) }
        }
        #expect(throws: HDRCodecError.badCookie(found: 0xdead_beef, expected: HDRCodec.compressedCookie)) {
            try HDRCodec.decode([0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0])
        }
        // A compressed wrapper around something that is not an uncompressed encoding.
        #expect(throws: HDRCodecError.badCookie(found: HDRCodec.compressedCookie, expected: HDRCodec.encodingCookie)) {
            try HDRCodec.decode(try compressed([0x1c, 0x84, 0x93, 0x14] + [UInt8](repeating: 0, count: 40)))
        }
        // Any word-size nibble is accepted, as the other implementations do.
        var otherNibble = valid
        otherNibble[3] = 0x03
        #expect(try HDRCodec.decode(otherNibble) == sampleHistogram())
    }

    @Test func hugeDeclaredLengths() throws {
        var compressedBytes = try HDRCodec.encodeCompressed(sampleHistogram())
        compressedBytes.replaceSubrange(4..<8, with: [0xff, 0xff, 0xff, 0xff])
        #expect(throws: HDRCodecError.truncated(needed: 8 + 0xffff_ffff, available: compressedBytes.count)) {
            try HDRCodec.decode(compressedBytes)
        }
        var plain = try HDRCodec.encode(sampleHistogram())
        plain.replaceSubrange(4..<8, with: [0xff, 0xff, 0xff, 0xff])
        #expect(throws: HDRCodecError.self) { try HDRCodec.decode(plain) }
        #expect(throws: HDRCodecError.lengthMismatch(declared: 0, actual: 2)) {
            try HDRCodec.decode(uncompressed(payload: []) + [0x02, 0x02])
        }
    }

    @Test func invalidHeaders() {
        #expect(throws: HDRCodecError.self) { try HDRCodec.decode(uncompressed(payload: [], digits: 6)) }
        #expect(throws: HDRCodecError.self) { try HDRCodec.decode(uncompressed(payload: [], digits: 0xffff_ffff)) }
        #expect(throws: HDRCodecError.self) { try HDRCodec.decode(uncompressed(payload: [], lowest: 0)) }
        #expect(throws: HDRCodecError.self) { try HDRCodec.decode(uncompressed(payload: [], lowest: 100, highest: 150)) }
        #expect(throws: HDRCodecError.self) { try HDRCodec.decode(uncompressed(payload: [], lowest: .max, highest: .max)) }
        #expect(throws: HDRCodecError.self) { try HDRCodec.decode(uncompressed(payload: [], lowest: 1 << 62, highest: 1 << 63)) }
        #expect(throws: HDRCodecError.self) { try HDRCodec.decode(uncompressed(payload: [], offset: 5)) }
        // A legal layout whose counts array would need ~48 MiB: refused before allocating.
        #expect(throws: HDRCodecError.tooLarge(what: "counts array (slots)", size: 6_160_384, limit: 1 << 21)) {
            try HDRCodec.decode(uncompressed(payload: [], digits: 5, highest: UInt64(Int64.max)))
        }
    }

    @Test func badCountWords() throws {
        // A zero run of Int64.min would overflow on negation.
        #expect(throws: HDRCodecError.self) { try HDRCodec.decode(uncompressed(payload: zigzag([.min]))) }
        // A zero run past the end of the counts array.
        #expect(throws: HDRCodecError.indexOutOfRange(index: 23_553, countsLength: 23_552)) {
            try HDRCodec.decode(uncompressed(payload: zigzag([-23_553])))
        }
        // A count in the slot just past the end.
        #expect(throws: HDRCodecError.indexOutOfRange(index: 23_552, countsLength: 23_552)) {
            try HDRCodec.decode(uncompressed(payload: zigzag([-23_552, 1])))
        }
        // The same two cases in one-byte words (gaps of 64, decoded on the fast path): a count
        // just past the end, and a gap past it.
        #expect(throws: HDRCodecError.indexOutOfRange(index: 23_552, countsLength: 23_552)) {
            try HDRCodec.decode(uncompressed(payload: zigzag(Array(repeating: -64, count: 368) + [1])))
        }
        #expect(throws: HDRCodecError.indexOutOfRange(index: 23_616, countsLength: 23_552)) {
            try HDRCodec.decode(uncompressed(payload: zigzag(Array(repeating: -64, count: 369))))
        }
        // Up to the very end in one-byte words is fine: the last slot holds the count.
        let last = try HDRCodec.decode(uncompressed(payload: zigzag(Array(repeating: -64, count: 367) + [-63, 5])))
        #expect(last.totalCount == 5)
        // Counts adding up past 2^64 − 1.
        #expect(throws: HDRCodecError.totalCountOverflow) {
            try HDRCodec.decode(uncompressed(payload: zigzag([.max, .max, 2])))
        }
        // A varint whose continuation bit runs off the end.
        #expect(throws: HDRCodecError.self) { try HDRCodec.decode(uncompressed(payload: [0x02, 0x80, 0x80])) }
    }

    @Test func sizeLimits() throws {
        // 2 MiB of zero-count words inflate far past a 1 MiB limit: stopped while inflating.
        let bomb = try compressed(uncompressed(payload: [UInt8](repeating: 0, count: 2 << 20)))
        #expect(bomb.count < 10_000)
        let limits = HDRCodec.Limits(maxInputBytes: 1 << 20, maxDecompressedBytes: 1 << 20)
        #expect(throws: HDRCodecError.self) { try HDRCodec.decode(bomb, limits: limits) }
        do {
            _ = try HDRCodec.decode(bomb, limits: limits)
        } catch {
            guard case .tooLarge(let what, _, 1 << 20) = error else {
                Issue.record("expected tooLarge, got \(error)")
                return
            }
            #expect(what == "decompressed payload")
        }
        let big = [UInt8](repeating: 0, count: 1000)
        #expect(throws: HDRCodecError.tooLarge(what: "input", size: 1000, limit: 999)) {
            try HDRCodec.decode(big, limits: .init(maxInputBytes: 999))
        }
    }

    @Test func corruptZlibStreams() throws {
        var valid = try HDRCodec.encodeCompressed(sampleHistogram())
        valid.append(0)
        valid.replaceSubrange(4..<8, with: withUnsafeBytes(of: UInt32(valid.count - 8).bigEndian) { Array($0) })
        #expect(throws: HDRCodecError.compression("1 bytes follow the end of the stream")) { try HDRCodec.decode(valid) }
        #expect(throws: HDRCodecError.self) { try HDRCodec.decode([0x1c, 0x84, 0x93, 0x14, 0, 0, 0, 4, 1, 2, 3, 4]) }
    }

    @Test func base64Errors() {
        #expect(throws: HDRCodecError.invalidBase64) { try HDRCodec.decodeBase64("not base64!") }
        #expect(throws: HDRCodecError.self) { try HDRCodec.decodeBase64("") }
        #expect(throws: HDRCodecError.self) { try HDRCodec.decodeBase64("HISTFAAAACN4nJNpmSzMwMDA") }
    }

    /// Random bytes, bare or behind a valid cookie: a typed error or a histogram, never a trap.
    @Test func randomBytesNeverTrap() async {
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            var bytes = (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: bytes = [0x1c, 0x84, 0x93, 0x13] + bytes
            case 1: bytes = [0x1c, 0x84, 0x93, 0x14] + bytes
            default: break
            }
            checkNoTrap(bytes)
        }
    }

    /// Bit flips and truncations of valid encodings (both forms).
    @Test func mutatedEncodingsNeverTrap() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let histogram = sampleHistogram(seed)
            var bytes = Bool.random(using: &rng) ? try HDRCodec.encode(histogram) : try HDRCodec.encodeCompressed(histogram)
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let bit = Int.random(in: 0..<(bytes.count * 8), using: &rng)
                bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            }
            if Bool.random(using: &rng) { bytes.removeLast(Int.random(in: 0..<bytes.count, using: &rng)) }
            checkNoTrap(bytes)
        }
    }

    /// Decodes; if that succeeds, the result must be a consistent histogram that round-trips.
    private func checkNoTrap(_ bytes: [UInt8]) {
        do {
            let decoded = try HDRCodec.decode(bytes)
            let again = try HDRCodec.decode(HDRCodec.encodeCompressed(decoded))
            #expect(again == decoded)
        } catch {
            #expect(!error.description.isEmpty)
        }
    }
}
