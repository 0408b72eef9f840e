/// One HTTP request of a flow, with the checks applied to its response and the values captured
/// from it.
///
/// Strings may contain `${…}` references (vars, captures, `env.X`, `setup.X`,
/// `data.NAME.COLUMN`), which the loader has already checked resolve.
public struct RequestStep: Sendable, Equatable {
    /// Upper-case HTTP method; `GET` by default.
    public var method: String
    /// Absolute `http://` or `https://` URL (or one starting with a reference).
    public var url: String
    /// Request headers, in file order.
    public var headers: [(name: String, value: String)]
    /// Query parameters appended to the URL, in file order.
    public var query: [(name: String, value: String)]
    /// The request body, if any.
    public var body: RequestBody?
    /// Per-request timeout; `nil` uses the engine's default.
    public var timeout: Duration?
    /// The `name` tag of the request's samples (groups URLs that differ only by ids).
    public var name: String?
    /// Checks on the response, in order.
    public var checks: [Check]
    /// Values captured from the response into variables, in file order.
    public var captures: [Capture]
    /// `http:` options of this request (override the scenario's).
    public var http: HTTPOptions?

    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [],
        query: [(name: String, value: String)] = [], body: RequestBody? = nil, timeout: Duration? = nil,
        name: String? = nil, checks: [Check] = [], captures: [Capture] = [], http: HTTPOptions? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.query = query
        self.body = body
        self.timeout = timeout
        self.name = name
        self.checks = checks
        self.captures = captures
        self.http = http
    }

    public static func == (lhs: RequestStep, rhs: RequestStep) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
            && lhs.query.map(\.name) == rhs.query.map(\.name) && lhs.query.map(\.value) == rhs.query.map(\.value)
            && lhs.body == rhs.body && lhs.timeout == rhs.timeout && lhs.name == rhs.name
            && lhs.checks == rhs.checks && lhs.captures == rhs.captures && lhs.http == rhs.http
    }
}

/// A request body: raw text (`body:`) or a JSON document (`json:`, sent with
/// `Content-Type: application/json`). A request has at most one of the two.
public enum RequestBody: Sendable, Equatable {
    case text(String)
    case json(JSONValue)
}
