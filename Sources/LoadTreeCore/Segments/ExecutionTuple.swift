/// A node's segment together with the full sequence it belongs to: everything an executor
/// needs to compute exactly its own share of the test (k6-reference §1.3).
public struct ExecutionTuple: Sendable, Hashable, CustomStringConvertible {
    /// The node's own segment.
    public let segment: ExecutionSegment
    /// The filled sequence: covers [0, 1] and contains `segment`.
    public let sequence: ExecutionSegmentSequence
    /// The position of `segment` in `sequence`.
    public let index: Int
    private let striping: Striping

    /// Builds the tuple for `segment` (nil = the whole test) in `sequence` (nil = none).
    ///
    /// The sequence is filled first: without one it is `[segment]`, then `0:first.from` and
    /// `last.to:1` are added where missing. So `0:1/3` alone fills to `0,1/3,1`, not thirds.
    public init(segment: ExecutionSegment? = nil, sequence: ExecutionSegmentSequence? = nil) throws(SegmentError) {
        let own = segment ?? .full
        var segments = sequence?.segments ?? []
        if segments.isEmpty { segments = [own] }
        if let first = segments.first, first.from != .zero {
            segments.insert(try ExecutionSegment(from: .zero, to: first.from), at: 0)
        }
        if let last = segments.last, last.to != .one {
            segments.append(try ExecutionSegment(from: last.to, to: .one))
        }
        let filled = try ExecutionSegmentSequence(segments: segments)
        guard let index = segments.firstIndex(of: own) else {
            throw .notInSequence(segment: own.description, sequence: filled.description)
        }
        self.segment = own
        self.sequence = filled
        self.index = index
        self.striping = try Striping(sequence: segments)
    }

    private init(segment: ExecutionSegment, sequence: ExecutionSegmentSequence, index: Int, striping: Striping) {
        self.segment = segment
        self.sequence = sequence
        self.index = index
        self.striping = striping
    }

    /// The whole test as one node sees it.
    public static let full: ExecutionTuple = {
        guard let tuple = try? ExecutionTuple() else { preconditionFailure("the full tuple is always valid") }
        return tuple
    }()

    /// L: the lcm of the reduced denominators of every segment's length.
    public var lcd: Int64 { striping.lcd }

    /// Which global elements this segment owns.
    public var stripe: Stripe { Stripe(positions: striping.positions[index], lcd: striping.lcd) }

    /// An index over the global elements this segment owns.
    public func makeIndex() -> SegmentedIndex { stripe.makeIndex() }

    /// How many of the first `value` global elements this segment owns: its share of `value`
    /// VUs or iterations. Shares of all segments sum to `value` exactly, and grow with `value`.
    public func scale(_ value: Int64) -> Int64 {
        scale(value, segment: index)
    }

    /// ``scale(_:)`` for the `k`-th segment of the filled sequence.
    public func scale(_ value: Int64, segment k: Int) -> Int64 {
        sequence.segments.count == 1 ? value : striping.scale(value, segment: k)
    }

    /// The sequence re-cut so that each segment's length is the share of `value` it received;
    /// segments that received nothing are dropped (k6-reference §1.7).
    ///
    /// Iterations and arrival-rate work are shared in proportion to the VUs each node actually
    /// got, and a node with no VUs gets no iterations: it is then an error to ask for its tuple.
    public func resegmented(byValue value: Int64) throws(SegmentError) -> ExecutionTuple {
        guard value >= 1 else { throw .invalidResegmentValue(value) }
        if value % lcd == 0 { return self }
        var segments: [ExecutionSegment] = []
        var newIndex: Int?
        var prefix: Int64 = 0
        for k in sequence.segments.indices {
            let share = scale(value, segment: k)
            guard share > 0 else { continue }
            do {
                let from = try Rational(prefix, value)
                let to = try Rational(prefix + share, value)
                if k == index { newIndex = segments.count }
                segments.append(try ExecutionSegment(from: from, to: to))
            } catch {
                throw .overflow(context: "re-segmenting by \(value)")
            }
            prefix += share
        }
        guard let newIndex else {
            throw .droppedByResegmentation(segment: segment.description, value: value)
        }
        let newSequence = try ExecutionSegmentSequence(segments: segments)
        return ExecutionTuple(
            segment: segments[newIndex], sequence: newSequence, index: newIndex,
            striping: try Striping(sequence: segments))
    }

    /// `segment in sequence`, e.g. `1/3:2/3 in 0,1/3,2/3,1`.
    public var description: String { "\(segment) in \(sequence)" }
}
