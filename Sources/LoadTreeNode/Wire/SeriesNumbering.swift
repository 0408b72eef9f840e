import LoadTreeCore

/// The sender's side of a stream's series table: each series (name + tags + kind) is sent in
/// full once per Attach stream and by a small number afterwards (`SeriesDefinition`,
/// `MetricEntry.series_id`).
///
/// Why: a busy agent's batch has some 34 series, each with five tags of two strings; parsing
/// those strings was the largest cost of a relay with a thousand children. A new stream (a
/// reconnect) starts a new numbering, so a batch resent on it defines its series again.
public struct SeriesNumbering: Sendable {
    private var numbers: [SeriesKey: UInt32] = [:]
    /// False for a batch that must stand alone (every entry names its series).
    public let isEnabled: Bool

    /// A numbering for one stream; `enabled: false` names every series in full every time.
    public init(enabled: Bool = true) {
        isEnabled = enabled
    }

    /// The number of `key` on this stream, and whether it is new (to be defined in the batch
    /// being written). Nil when numbering is disabled.
    mutating func number(for key: SeriesKey) -> (id: UInt32, isNew: Bool)? {
        guard isEnabled else { return nil }
        if let id = numbers[key] { return (id, false) }
        let id = UInt32(numbers.count + 1)
        numbers[key] = id
        return (id, true)
    }
}

/// The receiver's side of a stream's series table: what each number stands for.
///
/// Untrusted: numbers must be defined in order (1, 2, 3, …), once each, never for a series
/// that already has one, at most ``limit`` per stream; an entry may only use a number defined
/// before it (in an earlier batch or in its own batch's definitions).
public struct SeriesDirectory: Sendable {
    /// The most series one stream may define (a plan with more distinct series than this is
    /// not a load test any relay could merge every second).
    public static let limit = 1 << 16

    private var keys: [SeriesKey] = []
    private var known: Set<SeriesKey> = []
    /// Per number, its slot in the accumulator of ``slotsOwner`` (−1 until resolved): each
    /// number is looked up by key once per stream, then merged by index.
    private var slots: [Int] = []
    /// The ``SeriesAccumulator/identity`` the cached slots belong to.
    private var slotsOwner: UInt64?

    public init() {}

    /// How many series the stream defined.
    public var count: Int { keys.count }

    /// The series of number `id`, if defined.
    func key(_ id: UInt32) -> SeriesKey? {
        let index = Int(id) - 1
        return index >= 0 && index < keys.count ? keys[index] : nil
    }

    /// The slot of series number `id` in `accumulator`, resolved by key on first use and
    /// cached; nil when the number is not defined.
    mutating func slot(_ id: UInt32, in accumulator: inout SeriesAccumulator) -> Int? {
        let index = Int(id) - 1
        guard index >= 0, index < keys.count else { return nil }
        if slotsOwner != accumulator.identity {
            slotsOwner = accumulator.identity
            slots = [Int](repeating: -1, count: keys.count)
        } else if slots.count < keys.count {
            slots.append(contentsOf: repeatElement(-1, count: keys.count - slots.count))
        }
        let cached = slots[index]
        if cached >= 0 { return cached }
        let slot = accumulator.slot(for: keys[index])
        slots[index] = slot
        return slot
    }

    /// Adds a batch's definitions, all or none.
    ///
    /// - Throws: ``MetricBatchError/malformed(_:)`` naming the first definition at fault.
    mutating func define(_ definitions: [(id: UInt32, key: SeriesKey)]) throws(MetricBatchError) {
        guard !definitions.isEmpty else { return }
        guard keys.count + definitions.count <= Self.limit else {
            throw .malformed("the stream defines more than \(Self.limit) series")
        }
        var added: Set<SeriesKey> = []
        for (offset, definition) in definitions.enumerated() {
            let expected = UInt32(keys.count + offset + 1)
            guard definition.id == expected else {
                throw .malformed("series number \(definition.id) defined where \(expected) was next (\(definition.key))")
            }
            guard !known.contains(definition.key), added.insert(definition.key).inserted else {
                throw .malformed("series \(definition.key) defined twice on one stream")
            }
        }
        keys.append(contentsOf: definitions.map(\.key))
        known.formUnion(added)
    }
}
