import ArgumentParser
import LoadTreeCore

/// What `loadtree segments` prints, built once and rendered as JSON or as a table.
struct SegmentsReport {
    /// One segment of the filled sequence and what it owns.
    struct Entry {
        let tuple: ExecutionTuple
        let scaled: [(value: Int64, share: Int64)]
        /// The segment after re-segmentation, or `nil` when it was dropped (it gets no VUs).
        let resegmentedSegment: ExecutionSegment??
    }

    let filled: ExecutionSegmentSequence
    let lcd: Int64
    let entries: [Entry]
    let singleSegment: Bool
    let resegmented: ExecutionSegmentSequence?

    init(options: SegmentOptions, values: [Int64], resegment: Int64?) throws(ExitCode) {
        let first = try options.tuple(defaultingToFirstOfSequence: true)
        filled = first.sequence
        lcd = first.lcd
        singleSegment = options.segment != nil
        var tuples = [first]
        if !singleSegment {
            tuples = []
            for segment in first.sequence.segments {
                do { tuples.append(try ExecutionTuple(segment: segment, sequence: first.sequence)) } catch {
                    throw fail("error: \(error)")
                }
            }
        }
        self.entries = tuples.map { tuple in
            let own: ExecutionSegment?? = resegment.map { value in
                (try? tuple.resegmented(byValue: value))?.segment
            }
            return Entry(tuple: tuple, scaled: values.map { ($0, tuple.scale($0)) }, resegmentedSegment: own)
        }
        // Every segment that keeps VUs sees the same re-segmented sequence; at least one always does.
        self.resegmented = resegment.flatMap { value in
            first.sequence.segments.lazy.compactMap { segment in
                try? ExecutionTuple(segment: segment, sequence: first.sequence).resegmented(byValue: value).sequence
            }.first
        }
    }

    var json: JSONValue {
        var root: [(String, JSONValue)] = [
            ("sequence", .array(filled.segments.map { .string($0.description) })),
            ("lcd", .int(lcd)),
        ]
        if singleSegment, let entry = entries.first {
            root += fields(of: entry)
        } else {
            root.append(("segments", .array(entries.map { .object(fields(of: $0)) })))
        }
        return .object(root)
    }

    private func fields(of entry: Entry) -> [(String, JSONValue)] {
        let stripe = entry.tuple.stripe
        var fields: [(String, JSONValue)] = [
            ("segment", .string(entry.tuple.segment.description)),
            ("index", .int(Int64(entry.tuple.index))),
            ("start", .int(stripe.start)),
            ("offsets", .array(stripe.offsets.map { .int($0) })),
            ("scaled", .object(entry.scaled.map { (String($0.value), .int($0.share)) })),
        ]
        if let resegmented, let own = entry.resegmentedSegment {
            fields.append(("resegmented", .array(resegmented.segments.map { .string($0.description) })))
            fields.append(("resegmented_segment", own.map { .string($0.description) } ?? .null))
        }
        return fields
    }

    var table: String {
        var lines = ["sequence: \(filled)    lcd: \(lcd)"]
        if let resegmented { lines.append("resegmented: \(resegmented)") }
        var header = ["index", "segment", "start", "offsets"]
        header += entries.first?.scaled.map { "of \($0.value)" } ?? []
        if resegmented != nil { header.append("resegmented") }
        var rows = [header]
        for entry in entries {
            let stripe = entry.tuple.stripe
            var row = [
                String(entry.tuple.index), entry.tuple.segment.description, String(stripe.start),
                stripe.offsets.map(String.init).joined(separator: ","),
            ]
            row += entry.scaled.map { String($0.share) }
            if let own = entry.resegmentedSegment { row.append(own?.description ?? "(dropped)") }
            rows.append(row)
        }
        lines += TextTable(rows: rows).lines
        return lines.joined(separator: "\n")
    }
}
