import LoadTreeCore
import LoadTreeTestSupport
import LoadTreeWire
import PropertyBased
import SwiftProtobuf
import Synchronization
import Testing
@testable import LoadTreeNode

/// One child's stream to its parent, as the gRPC link carries it: each message is encoded when
/// sent (series numbered per stream) and decoded in order on delivery. A reconnect loses what
/// was in flight and starts a new stream with new numbers.
final class WireStreamLink: NodeLink, Sendable {
    private struct State {
        var numbering = SeriesNumbering()
        var directory = SeriesDirectory()
        var inFlight: [[UInt8]] = []
    }

    private let state = Mutex(State())

    func send(_ message: UpMessage) {
        state.withLock { state in
            guard let bytes: [UInt8] = try? message.wire(numbering: &state.numbering).serializedBytes() else {
                Issue.record("a node's message did not encode")
                return
            }
            state.inFlight.append(bytes)
        }
    }

    var hasInFlight: Bool { state.withLock { !$0.inFlight.isEmpty } }

    /// The oldest message in flight, decoded as the parent's stream reader decodes it.
    func next() throws -> UpMessage? {
        try state.withLock { state in
            guard !state.inFlight.isEmpty else { return nil }
            let bytes = state.inFlight.removeFirst()
            return try UpMessage(wire: Loadtree_V1_Up(serializedBytes: bytes), directory: &state.directory)
        }
    }

    /// The stream broke: what was in flight is lost; the next stream numbers anew.
    func reconnect() {
        state.withLock { $0 = State() }
    }
}

/// A child's link for acks, which these tests do not need.
struct DroppingLink: NodeLink {
    func send(_ message: DownMessage) {}
}

/// Gauges through whole trees of nodes: the root's figure is the tree-wide total whatever the
/// shape, the order of delivery, the relays' flush times and the resends after reconnects.
@Suite struct GaugeTreeTests {
    static let vus = try! SeriesKey("vus", tags: ["scenario": "s"])
    static let spacing: Int64 = 200_000_000

    @Test func theRootsGaugeIsTheTreeWideTotalForAnyShape() async {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            // A random tree: the root, relays under the root or under earlier relays, agents
            // under any of them; some relays run load too.
            var parents: [String: String] = [:]
            var engines: [String] = []
            var relays = ["root"]
            for r in 0..<Int.random(in: 0...3, using: &rng) {
                let id = "r\(r)"
                parents[id] = relays.randomElement(using: &rng)!
                relays.append(id)
                if Bool.random(using: &rng) { engines.append(id) }
            }
            for a in 0..<Int.random(in: 1...7, using: &rng) {
                let id = "a\(a)"
                parents[id] = relays.randomElement(using: &rng)!
                engines.append(id)
            }
            // Parents before children, so each node can be attached to its parent.
            var order = ["root"]
            while order.count < parents.count + 1 {
                for (child, parent) in parents.sorted(by: { $0.key < $1.key }) where !order.contains(child) && order.contains(parent) {
                    order.append(child)
                }
            }
            var nodes: [String: RelayNode] = [:]
            var links: [String: WireStreamLink] = [:]
            for id in order {
                let children = parents.filter { $0.value == id }.map(\.key)
                guard let parentID = parents[id] else {
                    nodes[id] = RelayNode(id: id, parent: nil, children: children, hasEngine: false)
                    continue
                }
                let link = WireStreamLink()
                links[id] = link
                let node = RelayNode(id: id, parent: link, children: children, hasEngine: engines.contains(id),
                                     metricInterval: .nanoseconds(Self.spacing))
                nodes[id] = node
                await nodes[parentID]!.attach(id, link: DroppingLink())
            }

            // Each engine reports every interval (its end jittered, sometimes skipping one),
            // nodes flush at random, messages arrive in random order across streams, and
            // streams break now and then (everything unacknowledged is sent again).
            var log: [(at: Int64, source: String, value: Double)] = []
            var ends = Dictionary(uniqueKeysWithValues: engines.map { ($0, Int64.random(in: 0...Self.spacing, using: &rng)) })
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                for engine in engines {
                    ends[engine]! += Int64.random(in: 1...(2 * Self.spacing), using: &rng)
                    let end = ends[engine]!
                    let value = Double(Int.random(in: 0...30, using: &rng))
                    var interval = IntervalAggregate(start: end - Self.spacing)
                    try interval.add(value, to: Self.vus, type: .gauge, at: end - 1)
                    try interval.add(1, to: SeriesKey("iterations"), type: .counter, at: end - 1)
                    await nodes[engine]!.record(interval.drain(at: end))
                    log.append((GaugeSource(interval: .nanoseconds(Self.spacing)).boundary(atOrAfter: end), engine, value))
                }
                for id in order where Bool.random(using: &rng) { await nodes[id]!.flushMetrics() }
                for _ in 0..<Int.random(in: 0...20, using: &rng) {
                    guard let pick = links.filter({ $0.value.hasInFlight }).randomElement(using: &rng) else { break }
                    if let message = try pick.value.next() { await nodes[parents[pick.key]!]!.received(message, from: pick.key) }
                }
                if Int.random(in: 0..<4, using: &rng) == 0, let pick = links.randomElement(using: &rng) {
                    pick.value.reconnect()
                    await nodes[pick.key]!.resyncUpstream()
                }
            }
            // The end: every level flushes and delivers until nothing is left in flight.
            for _ in 0...order.count {
                for id in order.reversed() {
                    await nodes[id]!.flushMetrics()
                    guard let link = links[id] else { continue }
                    while let message = try link.next() { await nodes[parents[id]!]!.received(message, from: id) }
                }
            }
            await nodes["root"]!.flushMetrics()

            let boundaries = Set(log.map(\.at)).sorted()
            let totals = boundaries.map { boundary in
                engines.reduce(0.0) { sum, s in sum + (log.last { $0.source == s && $0.at <= boundary }?.value ?? 0) }
            }
            let expected = engines.reduce(0.0) { sum, s in sum + (log.last { $0.source == s }?.value ?? 0) }
            let view = MetricsView(await nodes["root"]!.totals)
            guard case .gaugeTotal(let total)? = view.sink("vus") else {
                Issue.record("the root holds no tree-wide vus (seed \(seed))")
                return
            }
            #expect(total.value == expected, "seed \(seed)")
            #expect(total.min == totals.min(), "seed \(seed)")
            #expect(total.max == totals.max(), "seed \(seed)")
            // Counted once each, across resends.
            #expect(view.sink("iterations")?.value(of: .count, testDuration: .seconds(1)) == Double(log.count), "seed \(seed)")
        }
    }
}
