import LoadTreeCore
import LoadTreeHTTP

/// A flow prepared for running: every text with references split into a ``Template`` once, so
/// that an iteration only fills values in.
struct CompiledFlow: Sendable {
    indirect enum Step: Sendable {
        case request(CompiledRequest)
        case sleep(minimum: Duration, maximum: Duration)
        case group(name: String, steps: [Step])
    }

    let steps: [Step]
    /// How many request steps the flow has (they are numbered 0..<requestCount).
    let requestCount: Int

    /// `http` holds the scenario's `http:` options, which each request's own override.
    /// - Parameter fixed: the value of a reference that cannot change during the run, if any
    ///   (see ``Template/resolving(_:)``); such references are filled in here.
    init(_ steps: [FlowStep], http: HTTPOptions = HTTPOptions(), fixed: (VariableReference) -> String? = { _ in nil }) {
        var counter = 0
        self.steps = CompiledFlow.compile(steps, http: http, counter: &counter, fixed: fixed)
        self.requestCount = counter
    }

    private static func compile(
        _ steps: [FlowStep], http: HTTPOptions, counter: inout Int, fixed: (VariableReference) -> String?
    ) -> [Step] {
        steps.map { step in
            switch step {
            case .request(let request):
                defer { counter += 1 }
                let version = HTTPVersion(http.overridden(by: request.http).version)
                return .request(CompiledRequest(request, index: counter, version: version, fixed: fixed).prepared())
            case .sleep(let sleep):
                return .sleep(minimum: sleep.minimum, maximum: sleep.maximum)
            case .group(let group):
                return .group(name: group.name, steps: compile(group.steps, http: http, counter: &counter, fixed: fixed))
            }
        }
    }

    /// Every variable a step of `steps` captures into.
    static func capturedNames(_ steps: [FlowStep]) -> Set<String> {
        var names = Set<String>()
        for step in steps {
            switch step {
            case .request(let request): names.formUnion(request.captures.map(\.variable))
            case .sleep: break
            case .group(let group): names.formUnion(capturedNames(group.steps))
            }
        }
        return names
    }

    /// Every request step, in order (to prepare per-VU regexes).
    var requests: [CompiledRequest] {
        func collect(_ steps: [Step]) -> [CompiledRequest] {
            steps.flatMap { step -> [CompiledRequest] in
                switch step {
                case .request(let r): [r]
                case .sleep: []
                case .group(_, let inner): collect(inner)
                }
            }
        }
        return collect(steps)
    }
}

/// One request step with its templates.
///
/// A class: the flow interpreter takes a step out of the flow for every request it sends, and
/// a reference costs one retain where this many fields would cost one each.
final class CompiledRequest: Sendable {
    let index: Int
    let method: String
    let url: Template
    let query: [(name: String, value: Template)]
    let headers: [(name: String, value: Template)]
    let body: Body?
    let timeout: Duration?
    /// The HTTP version the request asks for (request's `http.version`, else the scenario's).
    let version: HTTPVersion
    /// The `name` tag: the step's name, or the URL as written (with its `${…}`), so that one
    /// step stays one series whatever values fill it.
    let nameTag: String
    let checks: [Check]
    let captures: [Capture]
    /// The request itself, built once, when nothing in it depends on variables (the common
    /// case of a load test's hot path): no rendering, parsing or encoding per iteration.
    let prebuilt: HTTPRequest?

    enum Body: Sendable {
        case text(Template)
        case json(JSONValue)
    }

    init(_ step: RequestStep, index: Int, version: HTTPVersion = .auto, fixed: (VariableReference) -> String? = { _ in nil }) {
        self.index = index
        self.version = version
        method = step.method
        url = Template(step.url).resolving(fixed)
        query = step.query.map { ($0.name, Template($0.value).resolving(fixed)) }
        headers = step.headers.map { ($0.name, Template($0.value).resolving(fixed)) }
        switch step.body {
        case .text(let text): body = .text(Template(text).resolving(fixed))
        case .json(let json): body = .json(json)
        case nil: body = nil
        }
        timeout = step.timeout
        nameTag = step.name ?? step.url
        checks = step.checks
        captures = step.captures
        prebuilt = nil
    }

    private init(_ other: CompiledRequest, prebuilt: HTTPRequest?) {
        index = other.index
        method = other.method
        url = other.url
        query = other.query
        headers = other.headers
        body = other.body
        timeout = other.timeout
        version = other.version
        nameTag = other.nameTag
        checks = other.checks
        captures = other.captures
        self.prebuilt = prebuilt
    }

    /// Whether no part of the request reads a variable.
    var isConstant: Bool {
        guard url.isConstant, query.allSatisfy({ $0.value.isConstant }), headers.allSatisfy({ $0.value.isConstant }) else { return false }
        switch body {
        case .text(let template): return template.isConstant
        case .json(let value): return !value.serialized().contains("${")
        case nil: return true
        }
    }

    /// The request for this iteration's values.
    func request(_ scope: VariableScope) throws(HTTPFailure) -> HTTPRequest {
        if let prebuilt { return prebuilt }
        var headers = self.headers.map { ($0.name, $0.value.render(scope)) }
        let body = renderBody(scope)
        if let type = body?.contentType, !headers.contains(where: { $0.0.lowercased() == "content-type" }) {
            headers.append(("Content-Type", type))
        }
        return try HTTPRequest(
            method: method, url: renderURL(scope), headers: headers, body: body?.bytes,
            timeout: timeout ?? .seconds(60), keepBody: needsBody, keepHeaders: needsHeaders, version: version)
    }

    /// This step with its request built in advance when it is constant.
    func prepared() -> CompiledRequest {
        guard isConstant, let request = try? request(VariableScope(vars: [:], environment: [:], setup: [:], vu: 0)) else { return self }
        return CompiledRequest(self, prebuilt: request)
    }

    /// Whether the response body must be kept (a check or a capture reads it).
    var needsBody: Bool {
        checks.contains { check in
            switch check.condition {
            case .bodyContains, .bodyMatches, .json: true
            case .status, .header, .duration: false
            }
        } || captures.contains { capture in
            if case .header = capture.source { false } else { true }
        }
    }

    /// Whether a check or a capture reads the response's headers.
    var needsHeaders: Bool {
        checks.contains { if case .header = $0.condition { true } else { false } }
            || captures.contains { if case .header = $0.source { true } else { false } }
    }

    /// The URL with its query, rendered.
    func renderURL(_ scope: VariableScope) -> String {
        var text = url.render(scope)
        guard !query.isEmpty else { return text }
        let pairs = query.map { Self.percentEncode($0.name) + "=" + Self.percentEncode($0.value.render(scope)) }
        text += (text.contains("?") ? "&" : "?") + pairs.joined(separator: "&")
        return text
    }

    /// The body bytes and the content type it implies.
    func renderBody(_ scope: VariableScope) -> (bytes: [UInt8], contentType: String?)? {
        switch body {
        case .text(let template): (Array(template.render(scope).utf8), nil)
        case .json(let value): (Array(Self.render(value, scope).serialized().utf8), "application/json")
        case nil: nil
        }
    }

    /// JSON with `${…}` filled in every string, so values with quotes stay valid JSON.
    private static func render(_ value: JSONValue, _ scope: VariableScope) -> JSONValue {
        switch value {
        case .string(let text): .string(Template(text).render(scope))
        case .array(let items): .array(items.map { render($0, scope) })
        case .object(let members): .object(members.map { ($0.0, render($0.1, scope)) })
        default: value
        }
    }

    private static func percentEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension HTTPVersion {
    /// The client's version for the plan's word (`auto` when the plan sets none).
    init(_ plan: HTTPOptions.Version?) {
        switch plan {
        case .http1_1: self = .http1_1
        case .http2: self = .http2
        case .auto, nil: self = .auto
        }
    }
}
