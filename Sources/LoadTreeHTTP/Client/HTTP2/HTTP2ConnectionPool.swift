import NIOCore

/// A fixed number of HTTP/2 connections per host, shared by many sessions (VUs).
///
/// HTTP/2's point is many streams on few connections; one connection per VU (the default)
/// models independent browsers, while a pool models a client or proxy that multiplexes, and
/// matches tools such as h2load (`-c` connections × `-m` streams).
///
/// The connections are split over the client's event loops, one ``HTTP2PoolShard`` per loop,
/// and a session uses the shard of its own loop: a VU running on loop A sends only on
/// connections of loop A, so a request never hops threads, and VUs of different loops never
/// take the same lock. A session on a loop with no shard (fewer connections than loops, or a
/// loop of another group) is given one shard for its whole life. Inside its shard a session
/// keeps to one connection (its slot), as an h2load stream keeps to its connection.
public final class HTTP2ConnectionPool: Sendable {
    /// Connections per (host, port), over all shards.
    public let connectionsPerHost: Int
    private let shards: [HTTP2PoolShard]

    init(
        connectionsPerHost: Int, group: any EventLoopGroup, configuration: HTTPClient.Configuration,
        tlsContexts: TLSContextCache
    ) {
        let total = max(1, connectionsPerHost)
        self.connectionsPerHost = total
        let loops = Array(group.makeIterator())
        let count = max(1, min(total, loops.count))
        shards = (0..<count).map { index in
            // Spread the remainder over the first shards: 50 connections on 3 loops are 17, 17, 16.
            let slots = total / count + (index < total % count ? 1 : 0)
            return HTTP2PoolShard(
                slots: slots, loop: loops.isEmpty ? group.next() : loops[index], configuration: configuration,
                tlsContexts: tlsContexts
            )
        }
    }

    /// The shard a session on `loop` uses.
    func shard(for loop: any EventLoop) -> HTTP2PoolShard {
        for shard in shards where shard.loop === loop { return shard }
        // Stable per loop, so such a session still spreads over one shard's connections.
        return shards[Int(UInt(bitPattern: ObjectIdentifier(loop).hashValue) % UInt(shards.count))]
    }

    /// Connections currently open.
    public var openConnections: Int {
        shards.reduce(0) { $0 + $1.openConnections }
    }

    /// Resets the streams `canceller`'s session has on any of the pool's connections.
    func cancelStreams(of canceller: ConnectionCanceller) {
        for shard in shards { shard.cancelStreams(of: canceller) }
    }

    /// Closes every connection; sessions that still hold the pool reconnect if they send again.
    public func close() async {
        for shard in shards { await shard.close() }
    }
}
