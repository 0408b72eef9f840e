import NIOCore
import Synchronization

/// A fixed number of HTTP/2 connections per host, shared by many sessions (VUs).
///
/// HTTP/2's point is many streams on few connections; one connection per VU (the default)
/// models independent browsers, while a pool models a client or proxy that multiplexes, and
/// matches tools such as h2load (`-c` connections × `-m` streams). Requests go to the slots in
/// turn; a slot whose connection closed or received GOAWAY reconnects on its next request, and
/// requests arriving while it connects wait for that one connection instead of opening more.
public final class HTTP2ConnectionPool: Sendable {
    private struct Key: Hashable {
        var scheme: HTTPURL.Scheme
        var host: String
        var port: Int
    }

    private enum Slot {
        case empty
        case connecting(EventLoopFuture<HTTP2Connection>)
        case ready(HTTP2Connection)
    }

    private struct Host {
        var slots: [Slot]
        var next = 0
    }

    /// Connections per (host, port).
    public let connectionsPerHost: Int
    private let group: any EventLoopGroup
    private let configuration: HTTPClient.Configuration
    private let tlsContexts: TLSContextCache
    private let hosts = Mutex<[Key: Host]>([:])

    init(
        connectionsPerHost: Int, group: any EventLoopGroup, configuration: HTTPClient.Configuration,
        tlsContexts: TLSContextCache
    ) {
        self.connectionsPerHost = max(1, connectionsPerHost)
        self.group = group
        self.configuration = configuration
        self.tlsContexts = tlsContexts
    }

    /// Connections currently open.
    public var openConnections: Int {
        hosts.withLock { hosts in
            hosts.values.reduce(0) { total, host in
                total + host.slots.reduce(0) { count, slot in
                    if case .ready(let connection) = slot, connection.channel.isActive { count + 1 } else { count }
                }
            }
        }
    }

    /// The next slot's connection when it is open and usable, without suspending (the common
    /// case once the pool is warm); nil when the slot must (re)connect.
    func readyConnection(for url: HTTPURL) -> HTTP2Connection? {
        let key = Key(scheme: url.scheme, host: url.host, port: url.port)
        return hosts.withLock { hosts -> HTTP2Connection? in
            guard let host = hosts[key] else { return nil }
            let index = host.next
            guard case .ready(let connection) = host.slots[index], connection.isUsable else { return nil }
            hosts[key]?.next = (index + 1) % host.slots.count
            return connection
        }
    }

    /// A usable connection to `url`'s host, and how it was established when this call opened it.
    func connection(for url: HTTPURL, deadline: NIODeadline) async -> Result<(HTTP2Connection, EstablishedChannel?), HTTPFailure> {
        let key = Key(scheme: url.scheme, host: url.host, port: url.port)
        enum Pick {
            case use(HTTP2Connection)
            case wait(EventLoopFuture<HTTP2Connection>)
            case open(EventLoopPromise<HTTP2Connection>, slot: Int, loop: any EventLoop)
        }
        let pick: Pick = hosts.withLock { hosts in
            var host = hosts[key] ?? Host(slots: Array(repeating: .empty, count: connectionsPerHost))
            defer { hosts[key] = host }
            let index = host.next
            host.next = (index + 1) % host.slots.count
            switch host.slots[index] {
            case .ready(let connection) where connection.isUsable:
                return .use(connection)
            case .connecting(let future):
                return .wait(future)
            case .ready(let stale):
                stale.channel.close(promise: nil)
                fallthrough
            case .empty:
                let loop = group.next()
                let promise = loop.makePromise(of: HTTP2Connection.self)
                host.slots[index] = .connecting(promise.futureResult)
                return .open(promise, slot: index, loop: loop)
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
        case .open(let promise, let slot, let loop):
            // A session on the slot's loop only to use the one connect path (TCP, TLS, ALPN).
            let connector = HTTPSession(eventLoop: loop, configuration: configuration, tlsContexts: tlsContexts)
            let result = await HTTP2Connection.connect(to: url, using: connector, deadline: deadline)
            hosts.withLock { hosts in
                switch result {
                case .success(let (connection, _)): hosts[key]?.slots[slot] = .ready(connection)
                case .failure: hosts[key]?.slots[slot] = .empty
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

    /// Closes every connection; sessions that still hold the pool reconnect if they send again.
    public func close() async {
        let all: [Slot] = hosts.withLock { hosts in
            defer { hosts.removeAll() }
            return hosts.values.flatMap(\.slots)
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
