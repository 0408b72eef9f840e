/// A value taken from a response into a variable that later steps use as `${name}`.
public struct Capture: Sendable, Equatable {
    /// The variable's name.
    public var variable: String
    /// Where the value comes from.
    public var source: CaptureSource

    public init(variable: String, source: CaptureSource) {
        self.variable = variable
        self.source = source
    }
}

/// Where a capture reads its value.
public enum CaptureSource: Sendable, Equatable {
    /// The JSON body at a path (`json: "$.token"`).
    case json(JSONPath)
    /// A response header (`header: Location`).
    case header(String)
    /// The first capture group (or the whole match) of a regular expression on the body.
    case regex(String)
}
