import Foundation
import Histogram

/// The standard HdrHistogram V2 encoding, so that histograms travel between LoadTree nodes
/// (and to and from other HdrHistogram tools) without losing a count.
///
/// Three forms:
/// - **uncompressed** (cookie `0x1c849313`): a 40-byte big-endian header (cookie, payload
///   length, normalizing index offset, significant digits, lowest discernible value, highest
///   trackable value, integer-to-double ratio), then the counts up to the highest non-empty
///   slot as ZigZag LEB128 words, where a run of N empty slots is written as the word −N;
/// - **compressed** (cookie `0x1c849314`): cookie, length of the zlib stream, then the zlib
///   stream of the uncompressed form;
/// - **base64 text** of the compressed form (what HdrHistogram log files and the Python
///   `hdrh` package exchange).
///
/// The cookies are the V2 bases `0x1c849303`/`0x1c849304` with `0x10` in the word-size nibble,
/// as Java, C and Python write them; decoding accepts any word-size nibble, as they do.
///
/// Decoding treats its input as hostile: lengths, indices and counts are all checked, sizes are
/// capped by ``Limits``, and every failure is an ``HDRCodecError``.
public enum HDRCodec {
    /// The cookie of the uncompressed V2 encoding.
    public static let encodingCookie: UInt32 = 0x1c84_9313
    /// The cookie of the compressed V2 encoding.
    public static let compressedCookie: UInt32 = 0x1c84_9314
    static let encodingCookieBase: UInt32 = 0x1c84_9303
    static let compressedCookieBase: UInt32 = 0x1c84_9304
    static let headerSize = 40

    /// Caps that keep a hostile or broken peer from exhausting memory or time.
    public struct Limits: Sendable, Hashable {
        /// The largest compressed (or uncompressed) input accepted, in bytes.
        public var maxInputBytes: Int
        /// The largest size the compressed form may inflate to, in bytes.
        public var maxDecompressedBytes: Int
        /// The largest counts array a decoded histogram may allocate (8 bytes per slot).
        public var maxCountsLength: Int

        public init(maxInputBytes: Int = 16 << 20, maxDecompressedBytes: Int = 16 << 20, maxCountsLength: Int = 1 << 21) {
            self.maxInputBytes = maxInputBytes
            self.maxDecompressedBytes = maxDecompressedBytes
            self.maxCountsLength = maxCountsLength
        }

        /// 16 MiB of input or inflated payload, 2 Mi slots (16 MiB of counts).
        public static let `default` = Limits()
    }

    // MARK: Encoding

    /// The uncompressed V2 encoding of `histogram`.
    ///
    /// - Throws: ``HDRCodecError/countTooLarge(_:)`` for a count above `Int64.max`.
    public static func encode(_ histogram: Histogram<UInt64>) throws(HDRCodecError) -> [UInt8] {
        let layout = try HDRLayout(of: histogram)
        var writer = PayloadWriter()
        try layout.forEachNonEmptySlot(of: histogram) { (index, _, count) throws(HDRCodecError) in
            try writer.append(index: index, count: count)
            return true
        }
        return writer.finish(layout)
    }

    /// The uncompressed V2 encoding of a histogram of `layout` holding `counts`.
    ///
    /// - Throws: ``HDRCodecError/countTooLarge(_:)`` for a count above `Int64.max`.
    public static func encode(_ counts: SparseCounts, layout: HDRLayout) throws(HDRCodecError) -> [UInt8] {
        var writer = PayloadWriter()
        for slot in counts.slots { try writer.append(index: slot.index, count: slot.count) }
        return writer.finish(layout)
    }

    /// The compressed V2 encoding of `histogram`.
    public static func encodeCompressed(_ histogram: Histogram<UInt64>) throws(HDRCodecError) -> [UInt8] {
        try compress(encode(histogram))
    }

    /// The compressed V2 encoding of a histogram of `layout` holding `counts`.
    public static func encodeCompressed(_ counts: SparseCounts, layout: HDRLayout) throws(HDRCodecError) -> [UInt8] {
        try compress(encode(counts, layout: layout))
    }

    /// The compressed V2 encoding of an uncompressed one (as ``encode(_:layout:)`` writes it).
    public static func compress(_ uncompressed: [UInt8]) throws(HDRCodecError) -> [UInt8] {
        let deflated = try Zlib.deflate(uncompressed)
        var out: [UInt8] = []
        out.reserveCapacity(8 + deflated.count)
        appendBigEndian(compressedCookie, to: &out)
        appendBigEndian(UInt32(deflated.count), to: &out)
        out.append(contentsOf: deflated)
        return out
    }

    /// Writes the V2 payload slot by slot, then the header in front of it.
    private struct PayloadWriter {
        var payload: [UInt8] = []
        var nextIndex = 0

        init() { payload.reserveCapacity(256) }

        mutating func append(index: Int, count: UInt64) throws(HDRCodecError) {
            guard count <= UInt64(Int64.max) else { throw .countTooLarge(count) }
            // Any run of empty slots, even a single one, is one negative word, as the C and
            // Python implementations write it (Java writes a lone empty slot as a 0 count;
            // both decode the same).
            let gap = index - nextIndex
            if gap > 0 {
                ZigZagLEB128.append(-Int64(gap), to: &payload)
            }
            ZigZagLEB128.append(Int64(count), to: &payload)
            nextIndex = index + 1
        }

        func finish(_ layout: HDRLayout) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(headerSize + payload.count)
            appendBigEndian(encodingCookie, to: &out)
            appendBigEndian(UInt32(payload.count), to: &out)
            appendBigEndian(UInt32(0), to: &out)  // normalizing index offset
            appendBigEndian(UInt32(layout.significantDigits), to: &out)
            appendBigEndian(layout.lowestDiscernibleValue, to: &out)
            appendBigEndian(layout.highestTrackableValue, to: &out)
            appendBigEndian(Double(1).bitPattern, to: &out)  // integer-to-double conversion ratio
            out.append(contentsOf: payload)
            return out
        }
    }

    /// The base64 text of the compressed V2 encoding.
    public static func encodeBase64(_ histogram: Histogram<UInt64>) throws(HDRCodecError) -> String {
        try Data(encodeCompressed(histogram)).base64EncodedString()
    }

    // MARK: Decoding

    /// Decodes either V2 form, telling them apart by the cookie.
    public static func decode(_ bytes: [UInt8], limits: Limits = .default) throws(HDRCodecError) -> Histogram<UInt64> {
        let (layout, counts) = try decodeSlots(bytes, limits: limits)
        var histogram = layout.makeHistogram()
        // Every index was checked against the layout while decoding.
        guard layout.add(counts, to: &histogram) else { throw .malformedCount(offset: headerSize) }
        return histogram
    }

    /// Decodes either V2 form into its layout and non-empty slots, without building the dense
    /// counts array: what a relay merging many small histograms wants (see ``SparseCounts``).
    /// Checks exactly what ``decode(_:limits:)`` checks.
    public static func decodeSlots(_ bytes: [UInt8], limits: Limits = .default) throws(HDRCodecError) -> (layout: HDRLayout, counts: SparseCounts) {
        try bytes.withUnsafeBufferPointer { buffer throws(HDRCodecError) in try decodeSlots(buffer: buffer, limits: limits) }
    }

    /// ``decodeSlots(_:limits:)`` of bytes held elsewhere (a protobuf `Data` field), read in
    /// place without copying them first.
    public static func decodeSlots(_ data: Data, limits: Limits = .default) throws(HDRCodecError) -> (layout: HDRLayout, counts: SparseCounts) {
        let result: Result<(layout: HDRLayout, counts: SparseCounts), HDRCodecError> = data.withUnsafeBytes { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            do throws(HDRCodecError) { return .success(try decodeSlots(buffer: buffer, limits: limits)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    private static func decodeSlots(buffer bytes: UnsafeBufferPointer<UInt8>, limits: Limits) throws(HDRCodecError) -> (layout: HDRLayout, counts: SparseCounts) {
        guard bytes.count <= limits.maxInputBytes else {
            throw .tooLarge(what: "input", size: bytes.count, limit: limits.maxInputBytes)
        }
        guard bytes.count >= 4 else { throw .truncated(needed: 4, available: bytes.count) }
        let cookie = readBigEndian(UInt32.self, bytes, at: 0)
        switch cookie & ~0xf0 {
        case compressedCookieBase:
            return try decodeCompressed(bytes, limits: limits)
        case encodingCookieBase:
            return try decodeUncompressed(bytes, limits: limits)
        default:
            throw .badCookie(found: cookie, expected: compressedCookie)
        }
    }

    /// Decodes the base64 text of a V2 encoding (compressed or not).
    public static func decodeBase64(_ text: String, limits: Limits = .default) throws(HDRCodecError) -> Histogram<UInt64> {
        let maxText = limits.maxInputBytes / 3 * 4 + 8
        guard text.utf8.count <= maxText else {
            throw .tooLarge(what: "base64 text", size: text.utf8.count, limit: maxText)
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let data = Data(base64Encoded: trimmed) else { throw .invalidBase64 }
        return try decode([UInt8](data), limits: limits)
    }

    private static func decodeCompressed(_ bytes: UnsafeBufferPointer<UInt8>, limits: Limits) throws(HDRCodecError) -> (layout: HDRLayout, counts: SparseCounts) {
        guard bytes.count >= 8 else { throw .truncated(needed: 8, available: bytes.count) }
        let declared = Int(readBigEndian(UInt32.self, bytes, at: 4))
        guard declared == bytes.count - 8 else {
            if declared > bytes.count - 8 { throw .truncated(needed: 8 + declared, available: bytes.count) }
            throw .lengthMismatch(declared: declared, actual: bytes.count - 8)
        }
        let inflated = try Zlib.inflate(ArraySlice(bytes[8...]), limit: limits.maxDecompressedBytes)
        guard inflated.count >= 4 else { throw .truncated(needed: 4, available: inflated.count) }
        let inner = readBigEndian(UInt32.self, inflated, at: 0)
        guard inner & ~0xf0 == encodingCookieBase else {
            throw .badCookie(found: inner, expected: encodingCookie)
        }
        return try inflated.withUnsafeBufferPointer { buffer throws(HDRCodecError) in try decodeUncompressed(buffer, limits: limits) }
    }

    private static func decodeUncompressed(_ bytes: UnsafeBufferPointer<UInt8>, limits: Limits) throws(HDRCodecError) -> (layout: HDRLayout, counts: SparseCounts) {
        let base = 0
        let available = bytes.count
        guard available >= headerSize else { throw .truncated(needed: headerSize, available: available) }
        let payloadLength = Int(readBigEndian(UInt32.self, bytes, at: base + 4))
        guard payloadLength == available - headerSize else {
            if payloadLength > available - headerSize {
                throw .truncated(needed: headerSize + payloadLength, available: available)
            }
            throw .lengthMismatch(declared: payloadLength, actual: available - headerSize)
        }
        let normalizingOffset = readBigEndian(UInt32.self, bytes, at: base + 8)
        guard normalizingOffset == 0 else {
            throw .unsupported("normalizing index offset \(Int32(bitPattern: normalizingOffset)) (only 0 is supported)")
        }
        let digits = Int32(bitPattern: readBigEndian(UInt32.self, bytes, at: base + 12))
        let lowest = readBigEndian(UInt64.self, bytes, at: base + 16)
        let highest = readBigEndian(UInt64.self, bytes, at: base + 24)
        let layout = try HDRLayout(
            lowestDiscernibleValue: lowest, highestTrackableValue: highest, significantDigits: Int(digits))
        guard layout.countsLength <= limits.maxCountsLength else {
            throw .tooLarge(what: "counts array (slots)", size: layout.countsLength, limit: limits.maxCountsLength)
        }
        let countsLength = layout.countsLength
        let payload = UnsafeBufferPointer(rebasing: bytes[headerSize...])
        // Every count takes at least one byte, so the payload's length bounds the slots: they
        // are written straight into uninitialised storage of that size, with no per-slot
        // capacity or uniqueness check (this loop is most of a relay's decoding).
        var failure: HDRCodecError?
        var total: UInt64 = 0
        let slots = [SparseCounts.Slot](unsafeUninitializedCapacity: payload.count) { out, initialized in
            guard let slotBase = out.baseAddress else { return }  // an empty payload: no slots
            var written = 0
            var offset = 0
            var index = 0
            while offset < payload.count {
                let first = payload[offset]
                if first < 0x80 {
                    // Most words of a short-interval histogram are one byte (counts and gaps
                    // below 64), and gaps and counts alternate as the samples fell, which a
                    // branch would predict badly: both are decoded here by one path of bit
                    // operations. A gap (odd byte, a negative word) advances the index by its
                    // length and stores nothing; a count advances by one and stores its slot,
                    // kept when the count is not zero. The checks are all but never taken.
                    offset &+= 1
                    let magnitude = Int(first >> 1)
                    let gapMask = 0 &- Int(first & 1)
                    let advance = 1 &+ (magnitude & gapMask)
                    let count = UInt64(truncatingIfNeeded: magnitude & ~gapMask)
                    guard countsLength &- index >= advance else {
                        failure = .indexOutOfRange(index: gapMask != 0 ? index + advance : index, countsLength: countsLength)
                        break
                    }
                    let (sum, overflow) = total.addingReportingOverflow(count)
                    guard !overflow else {
                        failure = .totalCountOverflow
                        break
                    }
                    total = sum
                    // Written in any case (there is room: one slot per payload byte), kept
                    // only for a count. Indices only grow, so the slots come out sorted and
                    // distinct.
                    (slotBase + written).initialize(to: SparseCounts.Slot(index: index, count: count))
                    written &+= count != 0 ? 1 : 0
                    index &+= advance
                    continue
                }
                guard let word = ZigZagLEB128.read(payload, at: &offset) else {
                    failure = .truncated(needed: headerSize + payload.count + 1, available: available)
                    break
                }
                if word < 0 {
                    guard word != .min, Int64(countsLength - index) >= -word else {
                        failure = .indexOutOfRange(index: word == .min ? Int.max : index + Int(clamping: -word), countsLength: countsLength)
                        break
                    }
                    index += Int(-word)
                    continue
                }
                guard index < countsLength else {
                    failure = .indexOutOfRange(index: index, countsLength: countsLength)
                    break
                }
                if word > 0 {
                    let (sum, overflow) = total.addingReportingOverflow(UInt64(word))
                    guard !overflow else {
                        failure = .totalCountOverflow
                        break
                    }
                    total = sum
                    (slotBase + written).initialize(to: SparseCounts.Slot(index: index, count: UInt64(word)))
                    written += 1
                }
                index += 1
            }
            initialized = written
        }
        if let failure { throw failure }
        return (layout, SparseCounts(sortedSlots: slots, totalCount: total))
    }

    // MARK: Big-endian helpers

    private static func appendBigEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        let big = value.bigEndian
        withUnsafeBytes(of: big) { bytes.append(contentsOf: $0) }
    }

    /// Reads a big-endian integer; the caller has checked that the bytes are there.
    private static func readBigEndian<T: FixedWidthInteger, C: Collection<UInt8>>(
        _ type: T.Type, _ bytes: C, at offset: C.Index
    ) -> T {
        var value: T = 0
        var index = offset
        for _ in 0..<MemoryLayout<T>.size {
            value = (value << 8) | T(bytes[index])
            index = bytes.index(after: index)
        }
        return value
    }
}
