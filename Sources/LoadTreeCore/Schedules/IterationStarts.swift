/// The iterations an arrival-rate scenario starts on one segment, in time order, computed
/// lazily: a long test can hold billions, and the engine only ever needs the next one.
///
/// Each start carries its global id, so the union over all segments of (id, time) equals the
/// unsegmented schedule exactly.
public struct IterationStarts: Sequence, Sendable {
    enum Shape: Sendable {
        /// Global iteration g starts at g·period, for g·period < duration.
        case constant(period: Int64, duration: Int64)
        /// The reference's `cal` generator over the stages (k6-reference §2.2).
        case ramping(startRate: Int64, timeUnit: Int64, stages: [Stage])
    }

    let shape: Shape
    /// The stripe of global ids this segment runs (from the tuple re-segmented by maxVUs).
    let stripe: Stripe

    public func makeIterator() -> Iterator {
        Iterator(shape: shape, stripe: stripe)
    }

    /// Walks the stripe and the rate curve together.
    public struct Iterator: IteratorProtocol, Sendable {
        private let shape: Shape
        private let stripe: Stripe
        private var offsetIndex = 0
        /// Constant: the next global id (0-based). Ramping: the next event number (1-based).
        private var element: Int64
        // Ramping state.
        private var stageIndex = 0
        private var done = 0.0
        private var end = 0.0
        private var from = 0.0
        private var stageStart: Int64 = 0
        private var stageOpen = false
        /// Finds start offsets in the open stage.
        private var solver = ArrivalSolver(.linear, from: 0, to: 0, duration: 0)

        init(shape: Shape, stripe: Stripe) {
            self.shape = shape
            self.stripe = stripe
            switch shape {
            case .constant:
                element = stripe.start
            case .ramping(let startRate, let timeUnit, _):
                element = stripe.start + 1
                from = Double(startRate) / Double(timeUnit)
            }
        }

        private mutating func advance() {
            element += stripe.offsets[offsetIndex]
            offsetIndex = (offsetIndex + 1) % stripe.offsets.count
        }

        public mutating func next() -> IterationStart? {
            switch shape {
            case .constant(let period, let duration):
                // A zero period would start everything at once; the plan rejects such rates.
                guard period > 0 else { return nil }
                let (at, overflow) = element.multipliedReportingOverflow(by: period)
                guard !overflow, at < duration else { return nil }
                let start = IterationStart(id: element, at: at)
                advance()
                return start
            case .ramping(_, let timeUnit, let stages):
                while stageIndex < stages.count {
                    let stage = stages[stageIndex]
                    let duration = Double(stage.duration.nanoseconds)
                    let to = Double(stage.target) / Double(timeUnit)
                    if !stageOpen {
                        end += stage.progression.arrivalArea(from: from, to: to, duration: duration)
                        solver = ArrivalSolver(stage.progression, from: from, to: to, duration: duration)
                        stageOpen = true
                    }
                    if Double(element) <= end {
                        let offset = solver.offset(area: Double(element) - done)
                        let start = IterationStart(id: element - 1, at: stageStart + offset)
                        advance()
                        return start
                    }
                    done = end
                    from = to
                    stageStart += stage.duration.nanoseconds
                    stageIndex += 1
                    stageOpen = false
                }
                return nil
            }
        }
    }
}
