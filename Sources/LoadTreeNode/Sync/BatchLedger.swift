/// Metric batches that travel up the tree: a sender keeps each batch until its parent
/// acknowledges it (and resends them all after a reconnect); a receiver counts each
/// (sender, sequence) once, so a resend is never counted twice.
public struct OutgoingBatches<Batch: Sendable>: Sendable {
    private var pending: [(sequence: UInt64, batch: Batch)] = []
    public private(set) var nextSequence: UInt64 = 1

    public init() {}

    /// Keeps `batch` until acknowledged; returns its sequence number.
    public mutating func enqueue(_ batch: Batch) -> UInt64 {
        let sequence = nextSequence
        nextSequence += 1
        pending.append((sequence, batch))
        return sequence
    }

    /// The parent acknowledged `sequence`.
    public mutating func acknowledge(_ sequence: UInt64) {
        pending.removeAll { $0.sequence == sequence }
    }

    /// Everything not yet acknowledged, oldest first: what to send again after a reconnect.
    public var unacknowledged: [(sequence: UInt64, batch: Batch)] { pending }
}

/// Remembers which batches of each sender were already counted.
public struct IncomingBatches: Sendable {
    /// Per sender: every sequence up to `floor` was seen, plus the ones in `above`.
    private var seen: [String: (floor: UInt64, above: Set<UInt64>)] = [:]

    public init() {}

    /// Whether the batch would be new, without recording it (check, count, then ``accept``).
    public func isNew(sender: String, sequence: UInt64) -> Bool {
        guard let entry = seen[sender] else { return sequence > 0 }
        return sequence > entry.floor && !entry.above.contains(sequence)
    }

    /// Whether the batch is new (count it) or a repeat (acknowledge it again, do not count it).
    public mutating func accept(sender: String, sequence: UInt64) -> Bool {
        var entry = seen[sender] ?? (0, [])
        guard sequence > entry.floor, !entry.above.contains(sequence) else { return false }
        entry.above.insert(sequence)
        while entry.above.remove(entry.floor + 1) != nil { entry.floor += 1 }
        seen[sender] = entry
        return true
    }
}
