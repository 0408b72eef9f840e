/// A node's part in the tree's barriers (`signalAndWait(id)`): it reports arrival upward only
/// once its engine and every child arrived; the root releases; releases fan down.
///
/// A pure state machine: it receives events and returns the messages to send, so the same
/// logic serves the root, every relay and an agent, and is tested without a network. Events
/// from a peer are never trusted: unknown participants, repeated arrivals and arrivals at a
/// barrier already released change nothing.
public struct BarrierCombiner: Sendable {
    /// What the node must do after an event.
    public enum Action: Hashable, Sendable {
        /// Everyone below arrived: tell the parent.
        case arriveUpstream(String)
        /// Let the engine and every child through.
        case release(String)
        /// Something below failed at this barrier: tell the parent.
        case failUpstream(String, message: String)
        /// The barrier failed: tell the engine and every child (the test aborts).
        case fail(String, message: String)
    }

    public let isRoot: Bool
    public private(set) var participants: Set<Participant>
    private var arrived: [String: Set<Participant>] = [:]
    /// Barriers already reported upward, released or failed.
    private var reported: Set<String> = []
    private var finished: Set<String> = []
    private var failuresReported: [String: String] = [:]

    public init(participants: Set<Participant>, isRoot: Bool) {
        self.participants = participants
        self.isRoot = isRoot
    }

    /// `participant` reached barrier `id`.
    public mutating func arrive(_ id: String, from participant: Participant) -> [Action] {
        guard participants.contains(participant), !finished.contains(id), !reported.contains(id) else { return [] }
        arrived[id, default: []].insert(participant)
        return complete(id)
    }

    /// The parent released barrier `id` (non-root nodes).
    public mutating func released(_ id: String) -> [Action] {
        guard !isRoot, !finished.contains(id) else { return [] }
        finished.insert(id)
        arrived[id] = nil
        return [.release(id)]
    }

    /// `participant` failed at barrier `id` (its engine errored, or a child reported a failure).
    public mutating func failed(_ id: String, from participant: Participant, message: String) -> [Action] {
        guard participants.contains(participant), !finished.contains(id) else { return [] }
        return failure(id, message: "\(participant): \(message)")
    }

    /// The parent failed barrier `id` (non-root nodes).
    public mutating func failedUpstream(_ id: String, message: String) -> [Action] {
        guard !isRoot, !finished.contains(id) else { return [] }
        finished.insert(id)
        arrived[id] = nil
        return [.fail(id, message: message)]
    }

    /// A child is gone: every barrier still waiting fails, since it can no longer complete.
    public mutating func lost(_ participant: Participant) -> [Action] {
        guard participants.remove(participant) != nil else { return [] }
        let pending = arrived.keys.filter { !finished.contains($0) }.sorted()
        return pending.flatMap { failure($0, message: "\(participant) disconnected") }
    }

    /// What to tell the parent again after a reconnect: every arrival or failure reported and
    /// not yet answered (the parent ignores repeats).
    public func resyncUpstream() -> [Action] {
        reported.subtracting(finished).sorted().map { id in
            failuresReported[id].map { .failUpstream(id, message: $0) } ?? .arriveUpstream(id)
        }
    }

    private mutating func complete(_ id: String) -> [Action] {
        guard arrived[id, default: []].isSuperset(of: participants) else { return [] }
        if isRoot {
            finished.insert(id)
            arrived[id] = nil
            return [.release(id)]
        }
        reported.insert(id)
        return [.arriveUpstream(id)]
    }

    private mutating func failure(_ id: String, message: String) -> [Action] {
        // One report upward per barrier: the parent's answer settles it.
        if !isRoot, reported.contains(id) { return [] }
        if isRoot {
            finished.insert(id)
            arrived[id] = nil
            return [.fail(id, message: message)]
        }
        reported.insert(id)
        failuresReported[id] = message
        return [.failUpstream(id, message: message)]
    }
}
