/// Consecutive segments that share out a test, written as their boundary points:
/// `0,1/3,2/3,1` is (0,1/3], (1/3,2/3], (2/3,1].
///
/// Every node of a tree receives the same sequence, so that all of them stripe VUs and
/// iterations the same way. A sequence need not cover [0, 1]; ``ExecutionTuple`` fills the gaps.
public struct ExecutionSegmentSequence: Sendable, Hashable, CustomStringConvertible {
    public let segments: [ExecutionSegment]

    /// Consecutive segments (each one's `from` is the previous one's `to`).
    public init(segments: [ExecutionSegment]) throws(SegmentError) {
        for (a, b) in zip(segments, segments.dropFirst()) where a.to != b.from {
            throw .sequenceNotIncreasing(sequence: segments.map(\.description).joined(separator: ","))
        }
        self.segments = segments
    }

    /// Parses `r0,r1,…,rn` (at least two strictly increasing points in [0, 1]); each point is a
    /// fraction, a decimal or a whole percentage. The empty string is the empty sequence.
    public init(parsing text: String) throws(SegmentError) {
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty {
            self.segments = []
            return
        }
        let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
        guard parts.count >= 2 else { throw .tooFewPoints(sequence: text) }
        var points: [Rational] = []
        for part in parts {
            let point: Rational
            do { point = try ExecutionSegment.bound(part, in: text) } catch {
                throw .invalidSequencePoint(value: part, sequence: text)
            }
            points.append(point)
        }
        var segments: [ExecutionSegment] = []
        for (a, b) in zip(points, points.dropFirst()) {
            guard let segment = try? ExecutionSegment(from: a, to: b) else { throw .sequenceNotIncreasing(sequence: text) }
            segments.append(segment)
        }
        self.segments = segments
    }

    /// The boundary points, `0,1/3,2/3,1`.
    public var description: String {
        guard let first = segments.first else { return "" }
        return ([first.from] + segments.map(\.to)).map(\.description).joined(separator: ",")
    }
}
