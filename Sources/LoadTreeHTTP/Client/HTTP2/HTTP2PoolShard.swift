import NIOCore
import Synchronization

/// The part of an ``HTTP2ConnectionPool`` on one event loop: a fixed number of connection slots
/// per host, all connected on that loop.
///
/// Each session is given one slot, in turn, and sends all its requests there: 500 VUs on 50
/// slots are 10 streams on each connection, as h2load's `-c 50 -m 10`. A connection's answers
/// then resume the VUs whose next requests go back on it, so the requests of one read leave in
/// one write (with a slot per request, each went to a different connection: one write each).
/// A slot whose connection closed or received GOAWAY reconnects on its next request, and
/// requests arriving while it connects wait for that one connection instead of opening more.
/// The lock is only ever taken by sessions of this loop (and by a connect finishing), so it is
/// not contended.
final class HTTP2PoolShard: Sendable {
    private enum Slot {
        case empty
        case connecting(EventLoopFuture<HTTP2Connection>)
        case ready(HTTP2Connection)
    }

    /// One host's slots. A pool serves a few hosts, so they are found by a scan comparing the
    /// key (usually the very same strings) rather than by hashing the host name per request.
    private struct Host {
        var scheme: HTTPURL.Scheme
        var name: String
        var port: Int
        var slots: [Slot]

        func serves(_ url: HTTPURL) -> Bool {
            port == url.port && scheme == url.scheme && name == url.host
        }
    }

    let loop: any EventLoop
    private let slotCount: Int
    private let configuration: HTTPClient.Configuration
    private let tlsContexts: TLSContextCache
    private let hosts = Mutex<[Host]>([])
    /// Slots handed to sessions so far.
    private let assigned = Atomic<Int>(0)

    init(slots: Int, loop: any EventLoop, configuration: HTTPClient.Configuration, tlsContexts: TLSContextCache) {
        self.slotCount = max(1, slots)
        self.loop = loop
        self.configuration = configuration
        self.tlsContexts = tlsContexts
    }

    /// Connections currently open.
    var openConnections: Int {
        hosts.withLock { hosts in
            hosts.reduce(0) { total, host in
                total + host.slots.reduce(0) { count, slot in
                    if case .ready(let connection) = slot, connection.channel.isActive { count + 1 } else { count }
                }
            }
        }
    }

    /// The slot for a new session: the slots in turn, so sessions spread evenly.
    func assignSlot() -> Int {
        (assigned.add(1, ordering: .relaxed).newValue - 1) % slotCount
    }

    /// The connection of `slot` when it is open and usable, without suspending (the common
    /// case once the pool is warm); nil when the slot must (re)connect.
    func readyConnection(for url: HTTPURL, slot: Int) -> HTTP2Connection? {
        hosts.withLock { hosts -> HTTP2Connection? in
            guard let at = hosts.firstIndex(where: { $0.serves(url) }),
                  case .ready(let connection) = hosts[at].slots[slot % slotCount], connection.isUsable else { return nil }
            return connection
        }
    }

    /// A usable connection of `slot` to `url`'s host, and how it was established when this call
    /// opened it.
    func connection(
        for url: HTTPURL, slot: Int, deadline: NIODeadline
    ) async -> Result<(HTTP2Connection, EstablishedChannel?), HTTPFailure> {
        enum Pick {
            case use(HTTP2Connection)
            case wait(EventLoopFuture<HTTP2Connection>)
            case open(EventLoopPromise<HTTP2Connection>, slot: Int)
        }
        let pick: Pick = hosts.withLock { hosts in
            let at = hosts.firstIndex { $0.serves(url) } ?? {
                hosts.append(Host(scheme: url.scheme, name: url.host, port: url.port, slots: Array(repeating: .empty, count: slotCount)))
                return hosts.count - 1
            }()
            let index = slot % slotCount
            switch hosts[at].slots[index] {
            case .ready(let connection) where connection.isUsable:
                return .use(connection)
            case .connecting(let future):
                return .wait(future)
            case .ready(let stale):
                stale.channel.close(promise: nil)
                fallthrough
            case .empty:
                let promise = loop.makePromise(of: HTTP2Connection.self)
                hosts[at].slots[index] = .connecting(promise.futureResult)
                return .open(promise, slot: index)
            }
        }
        switch pick {
        case .use(let connection):
            return .success((connection, nil))
        case .wait(let future):
            do {
                return .success((try await future.get(), nil))
            } catch {
                return .failure(error as? HTTPFailure ?? .connectionFailed(String(describing: error)))
            }
        case .open(let promise, let slot):
            // A session on the shard's loop only to use the one connect path (TCP, TLS, ALPN).
            let connector = HTTPSession(eventLoop: loop, configuration: configuration, tlsContexts: tlsContexts)
            let result = await HTTP2Connection.connect(to: url, using: connector, deadline: deadline)
            hosts.withLock { hosts in
                guard let at = hosts.firstIndex(where: { $0.serves(url) }) else { return }
                switch result {
                case .success(let (connection, _)): hosts[at].slots[slot] = .ready(connection)
                case .failure: hosts[at].slots[slot] = .empty
                }
            }
            switch result {
            case .success(let (connection, established)):
                promise.succeed(connection)
                return .success((connection, established))
            case .failure(let failure):
                promise.fail(failure)
                return .failure(failure)
            }
        }
    }

    /// Resets the streams `canceller`'s session has on this shard's connections.
    func cancelStreams(of canceller: ConnectionCanceller) {
        let ready = hosts.withLock { hosts in
            hosts.flatMap(\.slots).compactMap { slot -> HTTP2Connection? in
                if case .ready(let connection) = slot { connection } else { nil }
            }
        }
        for connection in ready { connection.cancelStreams(of: canceller) }
    }

    /// Closes every connection; sessions that still hold the pool reconnect if they send again.
    func close() async {
        let all: [Slot] = hosts.withLock { hosts in
            defer { hosts.removeAll() }
            return hosts.flatMap(\.slots)
        }
        for slot in all {
            switch slot {
            case .ready(let connection): try? await connection.channel.close()
            case .connecting(let future): try? await future.get().channel.close()
            case .empty: break
            }
        }
    }
}
