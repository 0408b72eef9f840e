import Foundation
import NIOCore
import NIOHTTP1

/// A complete request as the target's handler collected it.
struct TargetRequest {
    var head: HTTPRequestHead
    var body: ByteBuffer
}

/// What the target answers: status, headers, body, and an optional delay before answering.
struct TargetReply {
    var status: Int
    var headers: [(String, String)] = []
    var body = ByteBuffer()
    var delay: TimeAmount = .zero

    static func text(_ status: Int, _ message: String) -> TargetReply {
        TargetReply(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: ByteBuffer(string: message + "\n"))
    }

    static func json(_ status: Int, _ text: String) -> TargetReply {
        TargetReply(status: status, headers: [("Content-Type", "application/json")], body: ByteBuffer(string: text))
    }

    static func json(_ status: Int, _ buffer: ByteBuffer) -> TargetReply {
        TargetReply(status: status, headers: [("Content-Type", "application/json")], body: buffer)
    }
}

/// The routing table of the embedded target: pure functions from request to reply, so they
/// can be read in one place and never touch the channel.
struct TargetRoutes: Sendable {
    static let maxBytes = 10 * 1024 * 1024
    static let maxDelayMilliseconds = 10_000
    static let maxRedirects = 100

    let tokens: LoginToken
    let stats: TargetStats

    func reply(to request: TargetRequest) -> TargetReply {
        let uri = request.head.uri
        let path: Substring
        let query: Substring
        if let mark = uri.firstIndex(of: "?") {
            path = uri[..<mark]
            query = uri[uri.index(after: mark)...]
        } else {
            path = uri[...]
            query = ""
        }
        let method = request.head.method
        let isRead = method == .GET || method == .HEAD
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        switch (segments.first ?? "", segments.count) {
        case ("", 1) where isRead:
            return TargetReply(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: TargetContent.page)
        case ("bytes", 2) where isRead:
            guard let count = Int(segments.last ?? ""), (0...Self.maxBytes).contains(count) else {
                return .text(400, "/bytes/N needs N from 0 to \(Self.maxBytes)")
            }
            var body = ByteBuffer()
            body.writeRepeatingByte(UInt8(ascii: "x"), count: count)
            return TargetReply(status: 200, headers: [("Content-Type", "application/octet-stream")], body: body)
        case ("json", 1) where isRead, ("items", 1) where isRead:
            return .json(200, TargetContent.items)
        case ("items", 2) where isRead:
            guard let id = Int(segments.last ?? "") else {
                return .text(400, "/items/{id} needs an integer id")
            }
            return .json(200, #"{"id":\#(id),"name":"item \#(id)"}"#)
        case ("delay", 1) where isRead:
            guard let milliseconds = Self.queryValue("ms", in: query).flatMap({ Int($0) }),
                  (0...Self.maxDelayMilliseconds).contains(milliseconds)
            else {
                return .text(400, "/delay needs ?ms=N with N from 0 to \(Self.maxDelayMilliseconds)")
            }
            var reply = TargetReply.json(200, #"{"delayed_ms":\#(milliseconds)}"#)
            reply.delay = .milliseconds(Int64(milliseconds))
            return reply
        case ("status", 2) where isRead || method == .POST:
            guard let code = Int(segments.last ?? ""), (100...599).contains(code) else {
                return .text(400, "/status/N needs N from 100 to 599")
            }
            guard code >= 200 else {
                return .text(400, "/status/\(code): an informational status cannot be a final response")
            }
            if code == 204 || code == 304 {
                return TargetReply(status: code)
            }
            return .text(code, "status \(code)")
        case ("login", 1) where method == .POST:
            guard let user = Self.user(in: request.body) else {
                return .json(401, #"{"error":"send a JSON body with a \"user\" string"}"#)
            }
            return .json(200, Self.encoded(["token": tokens.issue(for: user)]))
        case ("cart", 1) where method == .POST:
            guard isAuthorized(request.head) else { return .json(401, #"{"error":"missing or invalid bearer token"}"#) }
            return .json(201, #"{"status":"ok"}"#)
        case ("orders", 1) where method == .POST:
            guard isAuthorized(request.head) else { return .json(401, #"{"error":"missing or invalid bearer token"}"#) }
            let order = stats.orders.add(1, ordering: .relaxed).newValue
            return .json(200, #"{"status":"ok","order":\#(order)}"#)
        case ("gzip", 1) where isRead:
            return TargetReply(
                status: 200, headers: [("Content-Type", "application/json"), ("Content-Encoding", "gzip")],
                body: TargetContent.gzipped
            )
        case ("redirect", 2) where isRead:
            guard let remaining = Int(segments.last ?? ""), (0...Self.maxRedirects).contains(remaining) else {
                return .text(400, "/redirect/N needs N from 0 to \(Self.maxRedirects)")
            }
            if remaining == 0 {
                return .text(200, "redirect chain done")
            }
            var reply = TargetReply.text(302, "redirecting to /redirect/\(remaining - 1)")
            reply.headers.append(("Location", "/redirect/\(remaining - 1)"))
            return reply
        case ("echo", 1) where method == .POST:
            let type = request.head.headers.first(name: "content-type") ?? "application/octet-stream"
            return TargetReply(status: 200, headers: [("Content-Type", type)], body: request.body)
        case ("headers", 1) where isRead:
            // A repeated field is echoed once, its values joined as HTTP folds them.
            let fields = Dictionary(request.head.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { "\($0), \($1)" })
            return .json(200, Self.encoded(["headers": fields]))
        default:
            return .text(404, "not found: \(method) \(path)")
        }
    }

    /// A JSON body written by Foundation's encoder, keys sorted so that a reply is stable.
    private static func encoded(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Dictionaries of strings always encode; "{}" only keeps the signature total.
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
    }

    private func isAuthorized(_ head: HTTPRequestHead) -> Bool {
        guard let value = head.headers.first(name: "authorization") else { return false }
        let prefix = "bearer "
        guard value.count > prefix.count, value.lowercased().hasPrefix(prefix) else { return false }
        return tokens.isValid(String(value.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces))
    }

    static func queryValue(_ name: String, in query: Substring) -> Substring? {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.first == Substring(name) {
                return parts.count > 1 ? parts[1] : ""
            }
        }
        return nil
    }

    /// The non-empty `user` string of a JSON object body, if any.
    static func user(in body: ByteBuffer) -> String? {
        guard let bytes = body.getBytes(at: body.readerIndex, length: body.readableBytes),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let user = object["user"] as? String, !user.isEmpty
        else { return nil }
        return user
    }
}
