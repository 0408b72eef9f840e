import Foundation
import LoadTreeCore

/// What checks and captures can look at in a response: status, headers, body and time. The
/// JSON body is parsed at most once, and only when a JSON check or capture asks for it.
struct ResponseView {
    let status: Int
    let headers: [(String, String)]
    let body: [UInt8]
    /// The request's `http_req_duration`.
    let duration: Duration
    private var parsed: JSONValue??
    private var decoded: String?

    init(status: Int, headers: [(String, String)], body: [UInt8], duration: Duration) {
        self.status = status
        self.headers = headers
        self.body = body
        self.duration = duration
    }

    /// The first header with this name (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// The body as text, decoded at most once however many checks and captures read it.
    mutating func text() -> String {
        if let decoded { return decoded }
        let text = String(decoding: body, as: UTF8.self)
        decoded = text
        return text
    }

    /// The body as JSON, or nil when it is not JSON.
    mutating func json() -> JSONValue? {
        if let parsed { return parsed }
        let value = try? JSONDecoder().decode(DecodedJSON.self, from: Data(body)).value
        parsed = .some(value)
        return value
    }

    /// The value at `path` in the JSON body.
    mutating func value(at path: JSONPath) -> JSONValue? {
        guard var current = json() else { return nil }
        for component in path.components {
            switch (component, current) {
            case (.key(let key), .object(let members)):
                guard let next = members.first(where: { $0.0 == key })?.1 else { return nil }
                current = next
            case (.index(let i), .array(let items)):
                guard items.indices.contains(i) else { return nil }
                current = items[i]
            default:
                return nil
            }
        }
        return current
    }
}

/// Decodes any JSON document into a ``JSONValue`` (object members sorted by key).
struct DecodedJSON: Decodable {
    let value: JSONValue

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.singleValueContainer() {
            if container.decodeNil() { value = .null; return }
            if let b = try? container.decode(Bool.self) { value = .bool(b); return }
            if let i = try? container.decode(Int64.self) { value = .int(i); return }
            if let d = try? container.decode(Double.self) { value = .double(d); return }
            if let s = try? container.decode(String.self) { value = .string(s); return }
            if let a = try? container.decode([DecodedJSON].self) { value = .array(a.map(\.value)); return }
            if let o = try? container.decode([String: DecodedJSON].self) {
                value = .object(o.keys.sorted().compactMap { key in o[key].map { (key, $0.value) } })
                return
            }
        }
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not JSON"))
    }
}

extension JSONValue {
    /// The value as captured into a variable: strings without quotes, others as JSON.
    var captureText: String {
        if case .string(let s) = self { return s }
        return serialized()
    }
}
