import Histogram
import LoadTreeCore

/// The cost of LoadTree's trend histograms next to the bare hdrhistogram-swift `Histogram` they
/// wrap (the peer): recording a sample, merging two histograms, and the V2 encodings.
func histogramBench() {
    print("histograms: record, merge, encode (peer: bare Histogram<UInt64>)")
    let samples = 2_000_000
    // Latencies of 0.2 ms to ~2 s in a fixed pseudo-random pattern.
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    let values: [Double] = (0..<4096).map { _ in
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return 0.2 + Double(seed >> 40) / Double(1 << 24) * 2000
    }
    let trend = measure("TrendSink.add (ms → µs, exact min/max/sum)", operations: samples) {
        var sink = TrendSink(kind: .time)
        for i in 0..<samples { sink.add(values[i & 4095]) }
        return Int(sink.count)
    }
    let bare = measure("Histogram<UInt64>.record (peer)", operations: samples) {
        var histogram = Histogram<UInt64>(
            lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
        for i in 0..<samples { _ = histogram.record(UInt64(values[i & 4095] * 1000)) }
        return Int(histogram.totalCount)
    }
    ratio("TrendSink.add / Histogram.record", trend, bare)
    // Through the interval aggregate, as the engine records: must stay in place (no copy of
    // the 188 KB counts per sample), i.e. close to TrendSink.add.
    let interval = measure("IntervalAggregate.add (trend series)", operations: samples) {
        var aggregate = IntervalAggregate(start: 0)
        guard let key = try? SeriesKey("http_req_duration") else { return 0 }
        for i in 0..<samples { try? aggregate.add(values[i & 4095], to: key, type: .trend, kind: .time, at: Int64(i)) }
        return aggregate.series.count
    }
    ratio("IntervalAggregate.add / TrendSink.add", interval, trend)

    var full = TrendSink(kind: .time)
    for value in values { full.add(value) }
    let merges = 2_000
    let merged = measure("TrendSink.merge (4,096 distinct values)", operations: merges, repeats: 3) {
        var total = TrendSink(kind: .time)
        for _ in 0..<merges { try? total.merge(full) }
        return Int(total.count)
    }
    let bareMerged = measure("Histogram.add (peer)", operations: merges, repeats: 3) {
        var total = Histogram<UInt64>(
            lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
        for _ in 0..<merges { total.add(full.histogram.histogram) }
        return Int(total.totalCount)
    }
    ratio("TrendSink.merge / Histogram.add", merged, bareMerged)

    let encodes = 2_000
    let histogram = full.histogram.histogram
    let plain = measure("V2 encode (uncompressed)", operations: encodes, repeats: 3) {
        var bytes = 0
        for _ in 0..<encodes { bytes &+= (try? HDRCodec.encode(histogram))?.count ?? 0 }
        return bytes
    }
    let compressed = measure("V2 encode (compressed, DEFLATE)", operations: encodes, repeats: 3) {
        var bytes = 0
        for _ in 0..<encodes { bytes &+= (try? HDRCodec.encodeCompressed(histogram))?.count ?? 0 }
        return bytes
    }
    ratio("compressed / uncompressed encode", compressed, plain)
    let encoded = (try? HDRCodec.encodeCompressed(histogram)) ?? []
    _ = measure("V2 decode (compressed)", operations: encodes, repeats: 3) {
        var total = 0
        for _ in 0..<encodes { total &+= Int((try? HDRCodec.decode(encoded))?.totalCount ?? 0) }
        return total
    }
    print("  compressed size of a 4,096-value histogram: \(encoded.count) bytes")
}
