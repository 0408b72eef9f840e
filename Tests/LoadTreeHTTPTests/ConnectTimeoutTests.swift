#if canImport(Glibc)
import Glibc
import LoadTreeHTTP
import Testing

/// A listening socket that never accepts, with a backlog of 0: the kernel completes one
/// handshake into the queue and drops later SYNs, so the next connect hangs until it times out.
private struct FullBacklogListener {
    let descriptor: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && listen(fd, 0) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        try #require(bound)
    }

    func close() {
        _ = Glibc.close(descriptor)
    }
}

@Suite("Connect timeout")
struct ConnectTimeoutTests {
    @Test func connectTimesOutWhenTheBacklogIsFull() async throws {
        let listener = try FullBacklogListener()
        let client = HTTPClient(threads: 1, configuration: .init(connectTimeout: .milliseconds(400)))
        // The first connection fills the queue; its request is never answered.
        var first = client.makeSession()
        let filler = await first.send(
            try HTTPRequest(url: "http://127.0.0.1:\(listener.port)/", timeout: .milliseconds(300))
        )
        #expect(filler.error == .requestTimeout)
        var second = client.makeSession()
        let clock = ContinuousClock()
        let started = clock.now
        let response = await second.send(try HTTPRequest(url: "http://127.0.0.1:\(listener.port)/", timeout: .seconds(3)))
        #expect(clock.now - started < .seconds(2))
        #expect(response.status == 0)
        #expect(response.error == .connectTimeout)
        #expect(response.errorCode == 1211)
        #expect(response.timings.connecting >= .milliseconds(350))
        // A request deadline shorter than the connect timeout reports the request timeout.
        let short = await second.send(try HTTPRequest(url: "http://127.0.0.1:\(listener.port)/", timeout: .milliseconds(150)))
        #expect(short.error == .requestTimeout)
        await first.close()
        await second.close()
        await client.shutdown()
        listener.close()
    }
}
#endif
