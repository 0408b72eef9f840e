import LoadTreeCore

/// Decides the checks of a request step against its response.
///
/// Regular expressions are compiled once per VU (Swift `Regex` values are not shared across
/// tasks), when the VU's flow is prepared.
struct CompiledCheck {
    let check: Check
    let regex: Regex<AnyRegexOutput>?

    init(_ check: Check) {
        self.check = check
        switch check.condition {
        case .bodyMatches(let pattern): regex = try? Regex(pattern)
        case .header(_, .matches(let pattern)): regex = try? Regex(pattern)
        default: regex = nil
        }
    }

    /// Whether the response passes this check.
    func passes(_ response: inout ResponseView) -> Bool {
        switch check.condition {
        case .status(let statuses):
            return statuses.contains(response.status)
        case .bodyContains(let text):
            return response.text().contains(text)
        case .bodyMatches:
            guard let regex else { return false }
            return response.text().contains(regex)
        case .json(let path, .exists(let expected)):
            return (response.value(at: path) != nil) == expected
        case .json(let path, .equals(let expected)):
            guard let found = response.value(at: path) else { return false }
            return Self.same(found, expected)
        case .header(let name, .equals(let expected)):
            return response.header(name) == expected
        case .header(let name, .matches):
            guard let regex, let value = response.header(name) else { return false }
            return value.contains(regex)
        case .duration(let op, let limit):
            return op.holds(Double(response.duration.nanoseconds), Double(limit.nanoseconds))
        }
    }

    /// JSON equality where 1 and 1.0 are the same number.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): Double(x) == y
        default: a == b
        }
    }
}

/// Reads one capture out of a response.
struct CompiledCapture {
    let capture: Capture
    let regex: Regex<AnyRegexOutput>?

    init(_ capture: Capture) {
        self.capture = capture
        if case .regex(let pattern) = capture.source { regex = try? Regex(pattern) } else { regex = nil }
    }

    /// The captured text, or nil when the response does not hold it.
    func value(from response: inout ResponseView) -> String? {
        switch capture.source {
        case .json(let path):
            return response.value(at: path)?.captureText
        case .header(let name):
            return response.header(name)
        case .regex:
            guard let regex, let match = response.text().firstMatch(of: regex) else { return nil }
            // The first capture group when there is one, else the whole match.
            let output = match.output
            if output.count > 1, let group = output[1].substring { return String(group) }
            return output[0].substring.map(String.init)
        }
    }
}
