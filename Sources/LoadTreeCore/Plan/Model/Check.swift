/// One assertion on a response. A failed check does not stop the iteration; it is counted in
/// the `checks` rate metric, as in the reference.
public struct Check: Sendable, Equatable {
    /// The check's name in the summary and in the `check` tag; derived from the condition when
    /// the plan gives none (`status is 200`).
    public var name: String
    /// What is checked.
    public var condition: CheckCondition

    public init(name: String, condition: CheckCondition) {
        self.name = name
        self.condition = condition
    }
}

/// The conditions a check can express.
public enum CheckCondition: Sendable, Equatable {
    /// The status code is one of these (`status: 200` or `status: [200, 201]`).
    case status([Int])
    /// The body contains this text (`body_contains:`).
    case bodyContains(String)
    /// The body matches this regular expression (`body_matches:`).
    case bodyMatches(String)
    /// The JSON body has a value at the path, equal to one or merely present (`json:`).
    case json(path: JSONPath, expectation: JSONExpectation)
    /// A header is equal to, or matches, a value (`header:`).
    case header(name: String, expectation: TextExpectation)
    /// The request duration compares to a limit (`duration: "<500ms"`).
    case duration(ThresholdOperator, Duration)
}

/// What a JSON check expects at its path.
public enum JSONExpectation: Sendable, Equatable {
    /// The value equals this JSON value.
    case equals(JSONValue)
    /// The path exists (`true`) or does not (`false`).
    case exists(Bool)
}

/// What a header check expects of the header's value.
public enum TextExpectation: Sendable, Equatable {
    /// Exactly this text.
    case equals(String)
    /// Matches this regular expression.
    case matches(String)
}
