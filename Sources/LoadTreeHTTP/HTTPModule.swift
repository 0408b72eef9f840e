// LoadTreeHTTP: the HTTP/1.1 client VUs use and the embedded target server, on SwiftNIO.
//
// Client, in the order a VU uses it:
//   let client = HTTPClient(group: loops)              // or HTTPClient(threads: n)
//   var session = client.makeSession()                 // one per VU: its keep-alive connections
//   let get = try HTTPRequest(url: "http://127.0.0.1:8080/json", keepBody: true)   // encode once
//   let response = await session.send(get)             // never throws: failures are in .error
//   // response.status / .timings / .bytesSent / .bytesReceived / .redirects (one per hop) / .errorCode
// Run the VU with `withTaskExecutorPreference(session.taskExecutor)` so it shares its
// connections' event loop thread (no thread hop per request).
//
// HTTPS: `https://` URLs work the same; `HTTPClient.Configuration(tls: TLSClientOptions(caFile:
// or insecureSkipVerify:))` says how servers are verified (system trust store by default).
// `response.tls` carries the ALPN protocol and TLS version; `timings.tlsHandshaking` the
// handshake of a new connection. A failed verification is `response.error == .tls(...)`.
//
// Target: `let target = try await TargetServer.start(host: "127.0.0.1", port: 0)`; see
// `TargetServer.routes`. With `tls: TargetTLS(identity: try TargetTLSIdentity.generate())` it
// serves HTTPS; `identity.caCertificatePEM` is what a client must trust.
