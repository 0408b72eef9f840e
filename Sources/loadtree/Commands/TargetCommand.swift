import ArgumentParser
import LoadTreeHTTP


/// `loadtree target`: the embedded test server, for trying plans without a real system.
struct TargetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "target",
        abstract: "Serve the embedded test target until Ctrl-C.",
        discussion: """
            Endpoints: GET / (about 2 KB of text), /bytes/N, /json and /items (a small JSON \
            document), /items/ID, /delay?ms=N, /status/N, /gzip, /redirect/N, /headers; POST \
            /login (JSON with "user" → {"token": …}), /cart and /orders (need \
            "Authorization: Bearer TOKEN"), /echo.
            """
    )

    @Option(help: ArgumentHelp("Address to listen on, HOST:PORT (port 0 picks a free one).", valueName: "address"))
    var listen = "127.0.0.1:8080"

    func run() async throws {
        let (host, port) = try Self.parse(listen)
        let server: TargetServer
        do { server = try await TargetServer.start(host: host, port: port) } catch {
            throw fail("error: \(error)", code: .genericError)
        }
        print("target listening on http://\(Self.authority(host, server.port)) (Ctrl-C to stop)")
        await Self.waitForSignal()
        await server.shutdown()
    }

    /// `HOST:PORT` or `[IPv6]:PORT`.
    static func parse(_ address: String) throws(ExitCode) -> (String, Int) {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
              (0...65535).contains(port)
        else { throw fail("error: invalid --listen \"\(address)\"; expected HOST:PORT, e.g. 127.0.0.1:8080") }
        var host = String(address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw fail("error: invalid --listen \"\(address)\": the host is missing") }
        return (host, port)
    }

    static func authority(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Returns on the first SIGINT or SIGTERM.
    static func waitForSignal() async {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let signals = SignalWatcher { continuation.yield($0) }
        for await _ in stream { break }
        signals.cancel()
    }
}
