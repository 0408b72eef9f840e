@testable import LoadTreeNode

/// A tree of nodes wired in memory: each node has a barrier combiner and a once coordinator,
/// and messages are delivered in an order the test chooses. Enough to check the sync logic
/// at every depth without a network.
struct SimulatedTree {
    struct Node {
        let id: String
        let parent: String?
        var children: [String]
        let hasEngine: Bool
        var barriers: BarrierCombiner
        var once: OnceCoordinator
    }

    enum Message: Hashable {
        case arrive(String, from: String)
        case released(String)
        case failUp(String, from: String, String)
        case failDown(String, String)
        case onceAsk(String, from: String)
        case onceRun(String)
        case onceReport(String, OnceCoordinator.Outcome, from: String)
        case onceResult(String, OnceCoordinator.Outcome)
    }

    var nodes: [String: Node] = [:]
    /// Messages in flight: (to node, message).
    var inFlight: [(String, Message)] = []
    /// What reached each node's engine.
    var engineReleased: [String: [String]] = [:]
    var engineFailed: [String: [String]] = [:]
    var engineRuns: [String: [String]] = [:]
    var engineResults: [String: [String: OnceCoordinator.Outcome]] = [:]

    /// `shape`: node id → (parent, has engine). The root has no parent.
    init(_ shape: [(id: String, parent: String?, engine: Bool)]) {
        for entry in shape {
            let children = shape.filter { $0.parent == entry.id }.map(\.id)
            var participants = Set(children.map { Participant.child($0) })
            if entry.engine { participants.insert(.local) }
            nodes[entry.id] = Node(
                id: entry.id, parent: entry.parent, children: children, hasEngine: entry.engine,
                barriers: BarrierCombiner(participants: participants, isRoot: entry.parent == nil),
                once: OnceCoordinator(isRoot: entry.parent == nil))
        }
    }

    var engines: [String] { nodes.values.filter(\.hasEngine).map(\.id).sorted() }

    mutating func engineArrives(_ node: String, _ barrier: String) {
        handleBarrier(node, nodes[node]!.barriers.arrive(barrier, from: .local))
    }

    mutating func engineFails(_ node: String, _ barrier: String, _ message: String) {
        handleBarrier(node, nodes[node]!.barriers.failed(barrier, from: .local, message: message))
    }

    mutating func engineWantsOnce(_ node: String, _ id: String) {
        handleOnce(node, nodes[node]!.once.request(id, from: .local))
    }

    mutating func engineFinishesOnce(_ node: String, _ id: String, _ outcome: OnceCoordinator.Outcome) {
        handleOnce(node, nodes[node]!.once.completed(id, outcome, from: .local))
    }

    /// Delivers the message at `index` of the in-flight list.
    mutating func deliver(at index: Int) {
        let (to, message) = inFlight.remove(at: index)
        switch message {
        case .arrive(let id, let from): handleBarrier(to, nodes[to]!.barriers.arrive(id, from: .child(from)))
        case .released(let id): handleBarrier(to, nodes[to]!.barriers.released(id))
        case .failUp(let id, let from, let text): handleBarrier(to, nodes[to]!.barriers.failed(id, from: .child(from), message: text))
        case .failDown(let id, let text): handleBarrier(to, nodes[to]!.barriers.failedUpstream(id, message: text))
        case .onceAsk(let id, let from): handleOnce(to, nodes[to]!.once.request(id, from: .child(from)))
        case .onceRun(let id): handleOnce(to, nodes[to]!.once.runHere(id))
        case .onceReport(let id, let outcome, let from): handleOnce(to, nodes[to]!.once.completed(id, outcome, from: .child(from)))
        case .onceResult(let id, let outcome): handleOnce(to, nodes[to]!.once.resultFromUpstream(id, outcome))
        }
    }

    private mutating func handleBarrier(_ node: String, _ actions: [BarrierCombiner.Action]) {
        let n = nodes[node]!
        for action in actions {
            switch action {
            case .arriveUpstream(let id): inFlight.append((n.parent!, .arrive(id, from: node)))
            case .failUpstream(let id, let text): inFlight.append((n.parent!, .failUp(id, from: node, text)))
            case .release(let id):
                if n.hasEngine { engineReleased[node, default: []].append(id) }
                for child in n.children { inFlight.append((child, .released(id))) }
            case .fail(let id, let text):
                if n.hasEngine { engineFailed[node, default: []].append(id + ": " + text) }
                for child in n.children { inFlight.append((child, .failDown(id, text))) }
            }
        }
    }

    private mutating func handleOnce(_ node: String, _ actions: [OnceCoordinator.Action]) {
        let n = nodes[node]!
        for action in actions {
            switch action {
            case .askUpstream(let id): inFlight.append((n.parent!, .onceAsk(id, from: node)))
            case .reportUpstream(let id, let outcome): inFlight.append((n.parent!, .onceReport(id, outcome, from: node)))
            case .run(let id, let participant):
                switch participant {
                case .local: engineRuns[node, default: []].append(id)
                case .child(let child): inFlight.append((child, .onceRun(id)))
                }
            case .deliver(let id, let outcome, let participant):
                switch participant {
                case .local: engineResults[node, default: [:]][id] = outcome
                case .child(let child): inFlight.append((child, .onceResult(id, outcome)))
                }
            }
        }
    }
}
