import LoadTreeHTTP
import Testing

/// Connection reuse, timings, timeouts, redirects, gzip, bodies: the client against the target.
@Suite("HTTP client against the embedded target")
struct ClientBehaviourTests {
    @Test func oneKeepAliveConnectionServesManyRequests() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let template = try request(server, "/", keepBody: false)
            var statuses: [Int] = []
            for _ in 0..<200 {
                statuses.append(await session.send(template).status)
            }
            #expect(statuses == Array(repeating: 200, count: 200))
            #expect(server.acceptedConnections == 1)
            #expect(server.requestsServed == 200)
            #expect(session.connectionCount == 1)
            await session.close()
        }
    }

    @Test func sessionRunsOnItsEventLoopWithTheTaskExecutor() async throws {
        try await withTarget { server, client in
            let session = client.makeSession()
            let template = try request(server, "/json")
            let (statuses, onLoop) = await withTaskExecutorPreference(session.taskExecutor) {
                var owned = session
                var statuses: [Int] = []
                var onLoop = true
                for _ in 0..<20 {
                    statuses.append(await owned.send(template).status)
                    onLoop = onLoop && owned.eventLoop.inEventLoop
                }
                await owned.close()
                return (statuses, onLoop)
            }
            #expect(statuses == Array(repeating: 200, count: 20))
            #expect(onLoop)
            #expect(server.acceptedConnections == 1)
        }
    }

    @Test func eachSessionOwnsItsConnection() async throws {
        try await withTarget { server, client in
            var first = client.makeSession()
            var second = client.makeSession()
            for _ in 0..<5 {
                #expect(await first.fetch(server, "/json").status == 200)
                #expect(await second.fetch(server, "/json").status == 200)
            }
            #expect(server.acceptedConnections == 2)
            await first.close()
            await second.close()
        }
    }

    @Test func timingsAreNonNegativeAndConsistent() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let clock = ContinuousClock()
            for index in 0..<20 {
                let started = clock.now
                let response = await session.fetch(server, "/bytes/100000", keepBody: false)
                let elapsed = clock.now - started
                let timings = response.timings
                #expect(response.status == 200)
                for phase in [timings.blocked, timings.connecting, timings.sending, timings.waiting, timings.receiving] {
                    #expect(phase >= .zero)
                }
                #expect(timings.tlsHandshaking == .zero)
                #expect(timings.duration == timings.sending + timings.waiting + timings.receiving)
                #expect(timings.blocked + timings.connecting + timings.duration <= elapsed)
                if index == 0 {
                    #expect(timings.connecting > .zero)
                } else {
                    #expect(timings.connecting == .zero)
                }
            }
            await session.close()
        }
    }

    @Test func bytesOnTheWireAreCounted() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let template = try request(server, "/bytes/1000", keepBody: false)
            let response = await session.send(template)
            let expectedRequest = "GET /bytes/1000 HTTP/1.1\r\nHost: 127.0.0.1:\(server.port)\r\n\r\n"
            #expect(template.encodedSize == expectedRequest.utf8.count)
            #expect(response.bytesSent == expectedRequest.utf8.count)
            #expect(response.bodySize == 1000)
            // Status line and headers come on top of the body.
            #expect(response.bytesReceived > 1000 + "HTTP/1.1 200 OK\r\n\r\n".utf8.count)
            #expect(response.totalBytesReceived == response.bytesReceived)
            await session.close()
        }
    }

    @Test func requestTimeoutAgainstSlowRoute() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let clock = ContinuousClock()
            let started = clock.now
            let response = await session.fetch(server, "/delay?ms=3000", timeout: .milliseconds(200))
            #expect(clock.now - started < .seconds(2))
            #expect(response.status == 0)
            #expect(response.error == .requestTimeout)
            #expect(response.errorCode == 1050)
            // The exchange lasted until the deadline, 200 ms after the call.
            let timings = response.timings
            #expect(timings.blocked + timings.connecting + timings.duration >= .milliseconds(195))
            // The timed-out connection is dropped; the next request gets a fresh one and works.
            let next = await session.fetch(server, "/json")
            #expect(next.status == 200)
            #expect(server.acceptedConnections == 2)
            await session.close()
        }
    }

    @Test func cancellingTheTaskInterruptsTheRequest() async throws {
        try await withTarget { server, client in
            let slow = try request(server, "/delay?ms=4000", timeout: .seconds(5))
            let clock = ContinuousClock()
            let started = clock.now
            let task = Task {
                var session = client.makeSession()
                let response = await session.send(slow)
                let next = await session.send(slow)
                await session.close()
                return (response, next)
            }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let (response, next) = await task.value
            #expect(clock.now - started < .seconds(3))
            #expect(response.error == .cancelled)
            #expect(response.status == 0)
            #expect(next.error == .cancelled)
            #expect(server.acceptedConnections == 1)
        }
    }

    @Test func timeoutTimerReArmsAcrossRequests() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            // A long first deadline, then a short one on the same connection must still fire.
            #expect(await session.fetch(server, "/json", timeout: .seconds(5)).status == 200)
            let late = await session.fetch(server, "/delay?ms=2000", timeout: .milliseconds(300))
            #expect(late.error == .requestTimeout)
            // And a short deadline followed by a longer one must not fire early.
            #expect(await session.fetch(server, "/json", timeout: .milliseconds(100)).status == 200)
            let slow = await session.fetch(server, "/delay?ms=300", timeout: .seconds(3))
            #expect(slow.status == 200)
            #expect(slow.error == nil)
            await session.close()
        }
    }

    @Test func redirectsAreFollowedAndCounted() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let response = await session.fetch(server, "/redirect/3")
            #expect(response.status == 200)
            #expect(response.error == nil)
            #expect(response.text == "redirect chain done\n")
            #expect(response.url.target == "/redirect/0")
            #expect(response.redirects.map(\.url.target) == ["/redirect/3", "/redirect/2", "/redirect/1"])
            #expect(response.redirects.map(\.status) == [302, 302, 302])
            #expect(response.redirects.allSatisfy { $0.bytesSent > 0 && $0.bytesReceived > 0 })
            #expect(response.totalBytesSent > response.bytesSent)
            #expect(server.requestsServed == 4)
            #expect(server.acceptedConnections == 1)
            await session.close()
        }
    }

    @Test func tooManyRedirectsStopsAtTheLimit() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let response = await session.fetch(server, "/redirect/12", maxRedirects: 10)
            #expect(response.error == .tooManyRedirects(10))
            #expect(response.status == 302)
            #expect(response.redirects.count == 10)
            #expect(response.url.target == "/redirect/2")
            #expect(server.requestsServed == 11)
            let exact = await session.fetch(server, "/redirect/2", maxRedirects: 2)
            #expect(exact.status == 200)
            #expect(exact.error == nil)
            let none = await session.fetch(server, "/redirect/1", maxRedirects: 0)
            #expect(none.error == .tooManyRedirects(0))
            #expect(none.location == "/redirect/0")
            await session.close()
        }
    }

    @Test func redirectMethodRules() async throws {
        try await withTarget { server, client in
            let target = "http://127.0.0.1:\(server.port)"
            var session = client.makeSession()
            // 303 turns a POST into a GET without body: /headers answers only GET.
            let seeOther = try await RawServer.start(
                .replyAndKeepOpen(Array("HTTP/1.1 303 See Other\r\nLocation: \(target)/headers\r\nContent-Length: 0\r\n\r\n".utf8))
            )
            let post = await session.send(
                try HTTPRequest(method: "POST", url: "http://127.0.0.1:\(seeOther.port)/form", body: Array("a=1".utf8),
                                timeout: .seconds(5), keepBody: true)
            )
            #expect(post.status == 200)
            #expect(post.method == "GET")
            #expect(post.url.description == "\(target)/headers")
            #expect(!post.text.contains("Content-Length"))
            #expect(post.redirects.map(\.method) == ["POST"])
            #expect(post.redirects.map(\.status) == [303])
            // 307 repeats method and body: /echo answers only POST and returns the body.
            let temporary = try await RawServer.start(
                .replyAndKeepOpen(Array("HTTP/1.1 307 Temporary Redirect\r\nLocation: \(target)/echo\r\nContent-Length: 0\r\n\r\n".utf8))
            )
            let repeated = await session.send(
                try HTTPRequest(method: "POST", url: "http://127.0.0.1:\(temporary.port)/", body: Array("payload".utf8),
                                timeout: .seconds(5), keepBody: true)
            )
            #expect(repeated.status == 200)
            #expect(repeated.method == "POST")
            #expect(repeated.text == "payload")
            await session.close()
            await seeOther.shutdown()
            await temporary.shutdown()
        }
    }

    @Test func gzipBodyIsDecoded() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let response = await session.fetch(server, "/gzip")
            #expect(response.status == 200)
            #expect(response.error == nil)
            #expect(response.header("content-encoding") == "gzip")
            let plain = String(repeating: #"{"message":"this body was gzip-encoded by the target"}"# + "\n", count: 20)
            #expect(response.text == plain)
            // The size counted is what came over the wire: smaller than the decoded text.
            #expect(response.bodySize > 0)
            #expect(response.bodySize < plain.utf8.count)
            let discarded = await session.fetch(server, "/gzip", keepBody: false)
            #expect(discarded.body == nil)
            #expect(discarded.bodySize == response.bodySize)
            await session.close()
        }
    }

    @Test func localhostNameResolves() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let response = await session.send(try HTTPRequest(url: "http://localhost:\(server.port)/json", timeout: .seconds(5)))
            #expect(response.status == 200)
            #expect(response.error == nil)
            await session.close()
        }
    }

    @Test func headersNotKeptWhenNotAsked() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            var template = try request(server, "/redirect/0")
            template.keepHeaders = false
            let response = await session.send(template)
            #expect(response.status == 200)
            #expect(response.headers.isEmpty)
            #expect(response.body != nil)
            await session.close()
        }
    }
}
