/// The left side of a `thresholds` entry: a metric name, optionally narrowed to a sub-metric
/// by tags (`http_req_duration{scenario:browse,status:200}`).
///
/// A sample belongs to the sub-metric when its tags contain every listed pair (k6-reference
/// §4.2). Tags are a plain dictionary here so that the metrics module can map them onto its own
/// tag-set type.
public struct MetricSelector: Sendable, Hashable, CustomStringConvertible {
    /// The metric's name (`http_req_duration`).
    public var name: String
    /// The tags a sample must carry to count; empty for the whole metric.
    public var tags: [String: String]

    public init(name: String, tags: [String: String] = [:]) {
        self.name = name
        self.tags = tags
    }

    /// Parses `name` or `name{k:v,k2:v2}`.
    ///
    /// Keys and values are trimmed of spaces and of `"` / `'` quotes, so
    /// `http_reqs{ "status": '200' }` selects `status=200`. A tag without a value is an error.
    /// The name itself is checked against the reference's metric-name rule.
    public static func parse(_ text: String) throws(ThresholdError) -> MetricSelector {
        let open = text.firstIndex(of: "{")
        let close = text.lastIndex(of: "}")
        switch (open, close) {
        case (nil, nil):
            let name = text.trimmingWhitespace()
            guard isValidName(name) else { throw .invalidMetricName(name) }
            return MetricSelector(name: name)
        case (let open?, let close?):
            guard open < close, text.index(after: close) == text.endIndex else {
                throw .malformedSelector(text)
            }
            let name = String(text[..<open]).trimmingWhitespace()
            guard isValidName(name) else { throw .invalidMetricName(name) }
            var tags: [String: String] = [:]
            let body = text[text.index(after: open)..<close]
            for entry in body.split(separator: ",", omittingEmptySubsequences: false) {
                guard let colon = entry.firstIndex(of: ":") else {
                    throw .malformedTag(selector: text, tag: String(entry))
                }
                let key = clean(entry[..<colon])
                let value = clean(entry[entry.index(after: colon)...])
                guard !key.isEmpty, !value.isEmpty else {
                    throw .malformedTag(selector: text, tag: String(entry))
                }
                tags[key] = value
            }
            return MetricSelector(name: name, tags: tags)
        default:
            throw .malformedSelector(text)
        }
    }

    /// The reference's metric-name rule: `^[a-zA-Z_][a-zA-Z0-9_]{1,128}$`.
    public static func isValidName(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard (2...129).contains(scalars.count), let first = scalars.first else { return false }
        func isLetter(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("A"..."Z").contains(s) || s == "_" }
        return isLetter(first) && scalars.dropFirst().allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }

    /// Whether a sample with these tags counts towards this selector.
    public func matches(_ sampleTags: [String: String]) -> Bool {
        tags.allSatisfy { sampleTags[$0.key] == $0.value }
    }

    /// `name{k:v,…}` with tags sorted by key: the sub-metric's canonical name.
    public var description: String {
        guard !tags.isEmpty else { return name }
        let inner = tags.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
        return "\(name){\(inner)}"
    }

    private static func clean(_ text: Substring) -> String {
        var s = Substring(text)
        let junk: Set<Character> = [" ", "\t", "\"", "'"]
        while let first = s.first, junk.contains(first) { s.removeFirst() }
        while let last = s.last, junk.contains(last) { s.removeLast() }
        return String(s)
    }
}
