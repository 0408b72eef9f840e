/// One time series: a metric and the tag set that selects it (`http_req_duration` or
/// `http_req_duration{status:200}`). It is the key under which interval data is aggregated
/// and sent up the tree, so it must compare equal on every node.
public struct SeriesKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let name: MetricName
    public let tags: TagSet
    /// The hash of name and tags, computed once: a key is looked up for every sample, and
    /// hashing a dozen tag strings each time would cost more than recording the sample.
    private let digest: Int

    public init(name: MetricName, tags: TagSet = .empty) {
        self.name = name
        self.tags = tags
        var hasher = Hasher()
        hasher.combine(name)
        hasher.combine(tags)
        self.digest = hasher.finalize()
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(digest)
    }

    public static func == (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        lhs.digest == rhs.digest && lhs.name == rhs.name && lhs.tags == rhs.tags
    }

    /// The key for a validated name text and tags.
    ///
    /// - Throws: ``MetricNameError`` when `name` is not a valid metric name.
    public init(_ name: String, tags: TagSet = .empty) throws(MetricNameError) {
        try self.init(name: MetricName(name), tags: tags)
    }

    /// `name` alone, or `name{k:v,…}` when there are tags.
    public var description: String {
        tags.isEmpty ? name.rawValue : name.rawValue + tags.description
    }

    public static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        lhs.name != rhs.name ? lhs.name < rhs.name : lhs.tags < rhs.tags
    }
}
