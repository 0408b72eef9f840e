import LoadTreeHTTP
import Testing

/// Every route of the embedded target, through the LoadTree client.
@Suite("Embedded target routes")
struct TargetRouteTests {
    @Test func rootServesExactly2048Bytes() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let response = await session.fetch(server, "/")
            #expect(response.error == nil)
            #expect(response.status == 200)
            #expect(response.body?.count == 2048)
            #expect(response.bodySize == 2048)
            #expect(response.text.hasPrefix("LoadTree embedded target, line 0:"))
            #expect(response.header("content-type") == "text/plain; charset=utf-8")
            await session.close()
        }
    }

    @Test func bytesRouteSizesAndLimits() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            for size in [0, 1, 1000, 65_537, 1_048_576] {
                let response = await session.fetch(server, "/bytes/\(size)", keepBody: false)
                #expect(response.status == 200)
                #expect(response.bodySize == size)
                #expect(response.body == nil)
            }
            let kept = await session.fetch(server, "/bytes/5")
            #expect(kept.body == Array("xxxxx".utf8))
            #expect(await session.fetch(server, "/bytes/10485761").status == 400)
            #expect(await session.fetch(server, "/bytes/abc").status == 400)
            await session.close()
        }
    }

    @Test func jsonItemsAndItem() async throws {
        let expected = #"{"items":[{"id":1,"name":"item 1"},{"id":2,"name":"item 2"},{"id":3,"name":"item 3"}],"count":3}"#
        try await withTarget { server, client in
            var session = client.makeSession()
            let json = await session.fetch(server, "/json")
            #expect(json.status == 200)
            #expect(json.text == expected)
            #expect(json.header("Content-Type") == "application/json")
            #expect(await session.fetch(server, "/items").text == expected)
            let item = await session.fetch(server, "/items/42")
            #expect(item.status == 200)
            #expect(item.text == #"{"id":42,"name":"item 42"}"#)
            #expect(await session.fetch(server, "/items/x").status == 400)
            await session.close()
        }
    }

    @Test func statusRouteForGetAndPost() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            for code in [200, 201, 204, 304, 404, 418, 500, 503, 599] {
                let get = await session.fetch(server, "/status/\(code)")
                #expect(get.status == code)
                #expect(get.error == nil)
                let post = await session.fetch(server, "/status/\(code)", method: "POST", body: [1, 2, 3])
                #expect(post.status == code)
            }
            #expect(await session.fetch(server, "/status/600").status == 400)
            #expect(await session.fetch(server, "/status/99").status == 400)
            #expect(await session.fetch(server, "/status/100").status == 400)
            #expect(await session.fetch(server, "/status/abc").status == 400)
            // After all of these the one connection is still usable.
            #expect(server.acceptedConnections == 1)
            await session.close()
        }
    }

    @Test func errorCodesFollowTheReference() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            #expect(await session.fetch(server, "/status/404").errorCode == 1404)
            #expect(await session.fetch(server, "/status/503").errorCode == 1503)
            #expect(await session.fetch(server, "/status/302").errorCode == 0)
            await session.close()
        }
    }

    @Test func loginThenCartAndOrders() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let login = await session.fetch(server, "/login", method: "POST", headers: [("Content-Type", "application/json")],
                            body: Array(#"{"user":"alice","password":"x"}"#.utf8))
            #expect(login.status == 200)
            let prefix = #"{"token":""#
            #expect(login.text.hasPrefix(prefix))
            let token = String(login.text.dropFirst(prefix.count).dropLast(2))
            #expect(!token.isEmpty)
            let auth = [("Authorization", "Bearer \(token)")]

            let cart = await session.fetch(server, "/cart", method: "POST", headers: auth, body: Array("{}".utf8))
            #expect(cart.status == 201)
            #expect(cart.text == #"{"status":"ok"}"#)
            let first = await session.fetch(server, "/orders", method: "POST", headers: auth, body: [])
            #expect(first.status == 200)
            #expect(first.text == #"{"status":"ok","order":1}"#)
            let second = await session.fetch(server, "/orders", method: "POST", headers: auth, body: [])
            #expect(second.text == #"{"status":"ok","order":2}"#)

            #expect(await session.fetch(server, "/cart", method: "POST", body: []).status == 401)
            let forged = await session.fetch(
                server, "/orders", method: "POST", headers: [("Authorization", "Bearer lt.61.1")], body: []
            )
            #expect(forged.status == 401)
            let altered = await session.fetch(
                server, "/orders", method: "POST", headers: [("Authorization", "Bearer \(token)x")], body: []
            )
            #expect(altered.status == 401)
            #expect(await session.fetch(server, "/login", method: "POST", body: Array("{}".utf8)).status == 401)
            #expect(await session.fetch(server, "/login", method: "POST", body: Array("not json".utf8)).status == 401)
            #expect(await session.fetch(server, "/login", method: "POST", body: Array(#"{"user":7}"#.utf8)).status == 401)
            #expect(await session.fetch(server, "/login").status == 404)
            await session.close()
        }
    }

    @Test func echoReturnsBodyAndContentType() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let payload = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let response = await session.fetch(server, "/echo", method: "POST", headers: [("Content-Type", "application/x-test")], body: payload)
            #expect(response.status == 200)
            #expect(response.body == payload)
            #expect(response.header("content-type") == "application/x-test")
            #expect(response.bytesSent > 100_000)
            #expect(response.bytesReceived > 100_000)
            let empty = await session.fetch(server, "/echo", method: "POST", body: [])
            #expect(empty.status == 200)
            #expect(empty.body == [])
            #expect(empty.header("content-type") == "application/octet-stream")
            await session.close()
        }
    }

    @Test func headersAreEchoedAsJSON() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let response = await session.fetch(server, "/headers", headers: [("X-Test", "a \"quoted\" value")])
            #expect(response.status == 200)
            #expect(response.text.contains(#""X-Test":"a \"quoted\" value""#))
            #expect(response.text.contains(#""Host":"127.0.0.1:\#(server.port)""#))
            await session.close()
        }
    }

    @Test func unknownRoutesAndMethodsAre404() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            #expect(await session.fetch(server, "/nope").status == 404)
            #expect(await session.fetch(server, "/json", method: "DELETE").status == 404)
            #expect(await session.fetch(server, "/echo").status == 404)
            #expect(await session.fetch(server, "/items/1/2").status == 404)
            await session.close()
        }
    }

    @Test func headResponsesHaveNoBody() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let head = await session.fetch(server, "/", method: "HEAD")
            #expect(head.status == 200)
            #expect(head.header("content-length") == "2048")
            #expect(head.bodySize == 0)
            // The connection stays in sync: the next GET gets its full body.
            let get = await session.fetch(server, "/")
            #expect(get.body?.count == 2048)
            #expect(server.acceptedConnections == 1)
            await session.close()
        }
    }

    @Test func delayWaitsAtLeastTheRequestedTime() async throws {
        try await withTarget { server, client in
            var session = client.makeSession()
            let response = await session.fetch(server, "/delay?ms=150")
            #expect(response.status == 200)
            #expect(response.text == #"{"delayed_ms":150}"#)
            #expect(response.timings.waiting >= .milliseconds(150))
            #expect(await session.fetch(server, "/delay?ms=10001").status == 400)
            #expect(await session.fetch(server, "/delay").status == 400)
            await session.close()
        }
    }
}
