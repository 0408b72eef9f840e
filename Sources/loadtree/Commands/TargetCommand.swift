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

            With --tls-port the same routes are also served over HTTPS, with a certificate made \
            at start by a throwaway CA (names localhost, 127.0.0.1, ::1); --write-ca FILE writes \
            that CA for a plan's "tls: {ca: FILE}".

            Every port speaks HTTP/1.1 and HTTP/2: h2c with prior knowledge on the plain port \
            (a plan's "http: {version: \"2\"}"), ALPN h2 on the TLS port.
            """
    )

    @Option(help: ArgumentHelp("Address to listen on, HOST:PORT (port 0 picks a free one).", valueName: "address"))
    var listen = "127.0.0.1:8080"

    @Option(name: .customLong("tls-port"), help: ArgumentHelp("Also serve HTTPS on this port of the same host (0 picks a free one).", valueName: "port"))
    var tlsPort: Int?

    @Option(name: .customLong("write-ca"), help: ArgumentHelp("Write the generated CA certificate (PEM) to this file; needs --tls-port.", valueName: "file"))
    var writeCA: String?

    func run() async throws {
        let (host, port) = try Self.parse(listen)
        if let tlsPort, !(0...65535).contains(tlsPort) {
            throw fail("error: invalid --tls-port \(tlsPort); expected 0 to 65535")
        }
        if writeCA != nil, tlsPort == nil {
            throw fail("error: --write-ca needs --tls-port (there is no certificate without TLS)")
        }
        var servers: [TargetServer] = []
        do {
            let plain = try await TargetServer.start(host: host, port: port)
            servers.append(plain)
            print("target listening on http://\(Self.authority(host, plain.port)) (Ctrl-C to stop)")
            if let tlsPort {
                let identity = try TargetTLSIdentity.generate()
                if let writeCA {
                    try identity.writeCACertificate(to: writeCA)
                    print("wrote the target's CA certificate to \(writeCA)")
                }
                let secure = try await TargetServer.start(host: host, port: tlsPort, tls: TargetTLS(identity: identity))
                servers.append(secure)
                print("target listening on https://\(Self.authority(host, secure.port)) (certificate for \(identity.names.joined(separator: ", ")))")
            }
        } catch {
            for server in servers { await server.shutdown() }
            throw fail("error: \(error)", code: .genericError)
        }
        await Self.waitForSignal()
        for server in servers { await server.shutdown() }
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
